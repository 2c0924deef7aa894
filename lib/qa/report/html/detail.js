// qa-report page, part 4 of 5: the detail view of one run (params, badges, links, metrics, output
// files, image review of images.js, log tail), opened from the table, a chart or the URL's #run=<key>.
function keyValues(object) {
  const body = el('tbody');
  for (const [key, value] of Object.entries(object || {})) {
    body.appendChild(el('tr', null, el('td', { text: key }), el('td', { class: 'mono', text: text(value) })));
  }
  return el('table', { class: 'qa-kv' }, body);
}

// The run's timing (qa.report/1 RUN.timing: wall_s, user_s, sys_s, peak_rss_kb) in human units.
function timingTable(timing) {
  const shown = {};
  for (const [name, value] of Object.entries(timing)) {
    if (typeof value !== 'number') shown[name] = value;
    else if (name.endsWith('_s')) shown[name.slice(0, -2) + ' time'] = formatSeconds(value);
    else if (name === 'peak_rss_kb') shown['peak memory'] = formatMebibytes(value / 1024);
    else shown[name] = value;
  }
  return keyValues(shown);
}

function openDetail(index) {
  const run = runs[index];
  if (!run) return;
  const panel = refs.detail;
  clear(panel);
  panel.hidden = false;
  panel.setAttribute('data-index', String(index));
  const close = el('button', { class: 'qa-close', type: 'button', id: 'qa-close', onclick: closeDetail }, 'close');
  panel.append(close, detailNav(index), el('h2', { text: text(run.key) }));
  panel.appendChild(el('p', null, verdictBadge(run.verdict), ' status ', el('b', { text: text(run.status) }),
    ', reference ', el('b', { text: text(run.reference_status) }), ', outputs ', el('b', { text: text(run.bitacc) }),
    run.exit_code !== null && run.exit_code !== undefined ? ', exit code ' + text(run.exit_code) : '',
    run.host ? ', host ' + text(run.host) : ''));
  panel.appendChild(keyValues({ input: run.input, label: run.label, config: run.config }));
  section(panel, 'Configs', (run.configs || []).length ? el('ul', null, ...(run.configs || []).map((c) => el('li', { class: 'mono', text: text(c) }))) : null);
  section(panel, 'Params', Object.keys(run.params || {}).length ? keyValues(run.params) : null);
  if (Object.keys(run.badges || {}).length) {
    section(panel, 'Badges', el('p', null, ...Object.entries(run.badges).map(([k, v]) => el('span', { class: 'badge', text: k + ': ' + text(v) }))));
  }
  if (Object.keys(run.links || {}).length) {
    const list = el('ul', { id: 'qa-links' });
    for (const [name, value] of Object.entries(run.links)) {
      const url = safeUrl(typeof value === 'object' && value ? value.url : value);
      list.appendChild(el('li', null, url ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: name })
        : el('span', { text: name }), ' ', el('span', { class: 'muted mono', text: text(value) })));
    }
    section(panel, 'Links', list);
  }
  section(panel, 'Metrics', metricTable(run));
  if (run.timing) section(panel, 'Timing', timingTable(run.timing));
  const extra = extras[index] || null;
  section(panel, 'Images', imageReview(extra));
  section(panel, 'Outputs', outputViews(extra));
  section(panel, 'Output files', fileTable(run));
  if (extra && typeof extra.log_tail === 'string') section(panel, 'Log (last lines)', el('pre', { class: 'qa-log', text: extra.log_tail }));
  close.focus();
  try {
    if (location.hash !== '#run=' + encodeURIComponent(text(run.key))) location.hash = 'run=' + encodeURIComponent(text(run.key));
  } catch (e) { /* a page that cannot change its URL still shows the detail */ }
}

function closeDetail() {
  refs.detail.hidden = true;
  refs.detail.removeAttribute('data-index');
  clear(refs.detail);
  try { if (location.hash) history.replaceState(null, '', location.pathname + location.search); } catch (e) { /* ignore */ }
}

function section(panel, title, content) {
  if (!content) return;
  panel.append(el('h3', { text: title }), content);
}

function metricTable(run) {
  const names = metrics.map((m) => m.name).filter((n) => run.metrics && n in run.metrics);
  for (const name of Object.keys(run.metrics || {})) if (!names.includes(name)) names.push(name);
  if (!names.length) return null;
  const body = el('tbody');
  for (const name of names) {
    const m = def(name);
    const mc = run.metrics[name] || {};
    body.appendChild(el('tr', { 'data-metric': name }, el('td', { text: text(m.label || name) }),
      el('td', { class: 'num', text: formatValue(m, mc.value) }), el('td', { class: 'num', text: formatValue(m, mc.reference) }),
      el('td', { class: 'num v-' + text(mc.verdict), text: formatDelta(m, mc) }), el('td', null, verdictBadge(mc.verdict))));
  }
  return el('table', null, el('thead', null, el('tr', null, ...['metric', 'new', 'reference', 'delta', 'verdict'].map((h) => el('th', { text: h })))), body);
}

function fileTable(run) {
  const files = Array.isArray(run.files) ? run.files : [];
  if (!files.length) return null;
  const body = el('tbody');
  for (const f of files) {
    body.appendChild(el('tr', null, el('td', { class: 'key', text: text(f.path) }), el('td', { class: 'v-' + (f.change === 'identical' ? 'unchanged' : 'worse'), text: text(f.change) }),
      el('td', { class: 'num', text: text(f.size) }), el('td', { class: 'mono', title: text(f.xxh128), text: short(f.xxh128) }),
      el('td', { class: 'mono', title: text(f.reference_xxh128), text: short(f.reference_xxh128) })));
  }
  return el('table', null, el('thead', null, el('tr', null, ...['path', 'change', 'size', 'xxh128', 'reference xxh128'].map((h) => el('th', { text: h })))), body);
}

function openFromHash() {
  const hash = location.hash;
  if (!hash.startsWith('#run=')) return;
  let key;
  try { key = decodeURIComponent(hash.slice(5)); } catch (e) { return; }
  const index = runs.findIndex((r) => r.key === key);
  if (index >= 0 && refs.detail.getAttribute('data-index') !== String(index)) openDetail(index);
}
