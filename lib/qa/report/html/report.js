// qa-report page, part 5 of 5: the data (the qa.report/1 object and the per-run extras embedded
// in the JSON script element #qa-data; see lib/qa/report/html_report.hpp), the summary, the
// aggregates, the sortable, filterable and paginated table of runs, and the first render.
const PAGE_SIZE = 200;   // rows rendered at once: 10,000 runs stay fast
const MAX_GROUPS = 200;  // aggregate rows rendered at most
const VERDICTS = ['failed', 'regression', 'missing', 'worse', 'better', 'unchanged', 'new'];
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const data = JSON.parse(document.getElementById('qa-data').textContent);
const report = data.report || {};
const extras = Array.isArray(data.extras) ? data.extras : [];
const runs = Array.isArray(report.runs) ? report.runs : [];
const metrics = Array.isArray(report.metrics) ? report.metrics : [];
const metricDefs = new Map(metrics.map((m) => [m.name, m]));
const tableMetrics = pickTableMetrics();

function pickTableMetrics() {
  const shown = metrics.filter((m) => !m.informational);
  const main = shown.filter((m) => m.main);
  return (main.length ? main : shown).slice(0, 8);
}

function def(name) {
  return metricDefs.get(name) || { name: name, short_label: name, scale: 1, precision: 3, suffix: '' };
}

// ---- table model: filter and sort on the data array ----------------------------------------
const columns = [
  { id: 'verdict', label: 'Verdict', value: (r) => VERDICTS.indexOf(r.verdict), cell: (td, r) => td.appendChild(verdictBadge(r.verdict)) },
  { id: 'key', label: 'Key', cls: 'key mono', value: (r) => text(r.key), cell: (td, r) => { td.textContent = text(r.key); } },
  { id: 'input', label: 'Input', cls: 'key', value: (r) => text(r.input), cell: (td, r) => { td.textContent = text(r.input); } },
  { id: 'config', label: 'Config', value: (r) => text(r.config), cell: (td, r) => { td.textContent = text(r.config); } },
  { id: 'bitacc', label: 'Outputs', value: (r) => text(r.bitacc), cell: (td, r) => { td.textContent = text(r.bitacc); } },
];
if (extras.some((e) => e && typeof e.thumbnail === 'string')) columns.splice(1, 0, thumbnailColumn());
for (const m of tableMetrics) {
  const name = m.name;
  const get = (r) => (r.metrics && r.metrics[name]) || null;
  columns.push({
    id: 'metric:' + name, label: text(m.short_label || m.label || name), cls: 'num',
    value: (r) => { const mc = get(r); return mc ? mc.value : null; },
    cell: (td, r) => {
      const mc = get(r);
      td.textContent = formatValue(m, mc ? mc.value : null);
      if (mc && typeof mc.value === 'number') td.setAttribute('data-value', String(mc.value));
      if (mc && typeof mc.reference === 'number') td.title = 'reference ' + formatValue(m, mc.reference);
    },
  });
  columns.push({
    id: 'delta:' + name, label: '\u0394 ' + text(m.short_label || m.label || name), cls: 'num',
    value: (r) => { const mc = get(r); return mc ? mc.delta : null; },
    cell: (td, r) => {
      const mc = get(r);
      td.textContent = formatDelta(m, mc);
      if (mc) td.className = 'num v-' + text(mc.verdict);
      if (mc && typeof mc.delta === 'number') td.setAttribute('data-value', String(mc.delta));
    },
  });
}

const state = { sort: null, dir: 1, filter: '', verdict: '', page: 0, view: runs.map((_, i) => i) };
let haystacks = null;

function compareValues(a, b) {
  const missingA = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const missingB = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (missingA || missingB) return missingA === missingB ? 0 : missingA ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return collator.compare(text(a), text(b));
}
function applyView() {
  const needle = state.filter.trim().toLowerCase();
  if (needle && !haystacks) haystacks = runs.map((r) => (text(r.key) + '\n' + text(r.input)).toLowerCase());
  const verdict = state.verdict;
  const view = [];
  for (let i = 0; i < runs.length; i++) {
    if (verdict === 'changes' ? runs[i].verdict === 'unchanged' : verdict && runs[i].verdict !== verdict) continue;
    if (needle && haystacks[i].indexOf(needle) < 0) continue;
    view.push(i);
  }
  const column = columns.find((c) => c.id === state.sort);
  if (column) {
    const keys = new Map(view.map((i) => [i, column.value(runs[i])]));
    view.sort((a, b) => {
      const ka = keys.get(a);
      const kb = keys.get(b);
      const missing = (ka === null || ka === undefined) !== (kb === null || kb === undefined);
      const order = compareValues(ka, kb);
      return (missing ? order : order * state.dir) || a - b;
    });
  }
  state.view = view;
  state.page = 0;
}

// ---- sections ------------------------------------------------------------------------------
const app = document.getElementById('qa-app');
const refs = {};

function summary() {
  const ref = report.reference || {};
  const totals = report.totals || {};
  const section = el('section', { id: 'qa-summary' }, el('h2', { text: 'Summary' }));
  section.appendChild(el('div', { class: 'qa-meta' },
    el('div', null, el('span', { class: 'muted', text: 'project ' }), text(report.project)),
    el('div', { title: text(report.commit) }, el('span', { class: 'muted', text: 'commit ' }), el('code', { text: short(report.commit) })),
    report.branch ? el('div', null, el('span', { class: 'muted', text: 'branch ' }), text(report.branch)) : null,
    el('div', { title: text(ref.commit) }, el('span', { class: 'muted', text: 'reference ' }),
      ref.commit ? el('code', { text: short(ref.commit) }) : 'none',
      ref.requested ? ' (' + text(ref.requested) + ')' : ''),
    ref.reason ? el('div', null, el('span', { class: 'muted', text: 'why ' }), text(ref.reason)) : null));
  const cards = [
    ['runs', 'runs', '', ''], ['regressions', 'regressions', 'bad', 'regression'], ['failed', 'failed', 'bad', 'failed'],
    ['missing', 'missing', 'warn', 'missing'], ['new', 'new', '', 'new'], ['better', 'better', 'good', 'better'],
    ['worse', 'worse', 'warn', 'worse'], ['bit_different', 'bit-different', 'warn', ''],
  ];
  const row = el('div', { class: 'qa-cards' });
  for (const [field, label, tone, verdict] of cards) {
    const n = Number(totals[field]) || 0;
    row.appendChild(el('button', {
      class: 'qa-card' + (n > 0 && tone ? ' ' + tone : ''), 'data-card': field, type: 'button',
      title: verdict ? 'show the ' + verdict + ' runs' : 'show every run',
      onclick: () => { setVerdict(field === 'runs' ? '' : verdict || state.verdict); },
    }, el('span', { class: 'n', text: String(n) }), el('span', { class: 'l', text: label })));
  }
  section.appendChild(row);
  section.appendChild(el('p', { class: 'muted' }, 'generated ' + text(report.generated_at) + ' by qatools ' + text(report.qatools_version)));
  return section;
}

function aggregates() {
  const groups = Array.isArray(report.groups) ? report.groups : [];
  const section = el('section', { id: 'qa-groups' }, el('h2', { text: 'By label and config' }));
  if (!groups.length) return section;
  const head = el('tr', null, el('th', { text: 'Label' }), el('th', { text: 'Config' }), el('th', { class: 'num', text: 'Runs' }),
    el('th', { class: 'num', text: 'OK' }), el('th', { class: 'num', text: 'Failed' }), el('th', { class: 'num', text: 'Missing' }),
    el('th', { class: 'num', text: 'Regressions' }));
  for (const m of tableMetrics) {
    const label = text(m.short_label || m.label || m.name);
    head.appendChild(el('th', { class: 'num', text: label + ' mean' }));
    head.appendChild(el('th', { class: 'num', text: label + ' median' }));
  }
  const body = el('tbody');
  for (const g of groups.slice(0, MAX_GROUPS)) {
    const c = g.counts || {};
    const tr = el('tr', null, el('td', { text: text(g.label) }), el('td', { text: text(g.config) }),
      el('td', { class: 'num', text: text(c.runs) }), el('td', { class: 'num', text: text(c.ok) }),
      el('td', { class: 'num' + (c.failed ? ' v-failed' : ''), text: text(c.failed) }),
      el('td', { class: 'num' + (c.missing ? ' v-missing' : ''), text: text(c.missing) }),
      el('td', { class: 'num' + (c.regressions ? ' v-regression' : ''), text: text(c.regressions) }));
    for (const m of tableMetrics) {
      const stats = (g.metrics && g.metrics[m.name]) || {};
      for (const field of ['mean', 'median']) {
        const value = stats.value ? stats.value[field] : null;
        const reference = stats.reference ? stats.reference[field] : null;
        const td = el('td', { class: 'num' }, formatValue(m, value));
        if (typeof reference === 'number') td.appendChild(el('div', { class: 'muted', text: 'ref ' + formatValue(m, reference) }));
        tr.appendChild(td);
      }
    }
    body.appendChild(tr);
  }
  section.appendChild(el('div', { class: 'qa-scroll' }, el('table', { id: 'qa-aggregates' }, el('thead', null, head), body)));
  if (groups.length > MAX_GROUPS) section.appendChild(el('p', { class: 'muted', text: 'showing ' + MAX_GROUPS + ' of ' + groups.length + ' groups' }));
  return section;
}

function table() {
  const section = el('section', { id: 'qa-table' }, el('h2', { text: 'Runs' }));
  const filter = el('input', { id: 'qa-filter', type: 'search', placeholder: 'filter by input or key', 'aria-label': 'filter by input or key' });
  filter.addEventListener('input', () => { state.filter = filter.value; applyView(); renderRows(); });
  const verdict = el('select', { id: 'qa-verdict', 'aria-label': 'verdict' }, el('option', { value: '', text: 'every verdict' }),
    el('option', { value: 'changes', text: 'changes only' }), ...VERDICTS.map((v) => el('option', { value: v, text: v })));
  verdict.addEventListener('change', () => { state.verdict = verdict.value; applyView(); renderRows(); });
  refs.verdict = verdict;
  section.appendChild(el('div', { class: 'qa-controls' }, filter, verdict, refs.count = el('span', { id: 'qa-count', class: 'muted' })));
  const head = el('tr');
  for (const column of columns) {
    const th = el('th', { class: 'sortable' + (column.cls && column.cls.includes('num') ? ' num' : ''), 'data-sort': column.id, text: column.label, tabindex: 0, scope: 'col' });
    const sort = () => {
      state.dir = state.sort === column.id ? -state.dir : 1;
      state.sort = column.id;
      for (const other of head.children) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', state.dir > 0 ? 'ascending' : 'descending');
      applyView();
      renderRows();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter') sort(); });
    head.appendChild(th);
  }
  refs.body = el('tbody');
  refs.body.addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-index]');
    if (tr) openDetail(Number(tr.getAttribute('data-index')));
  });
  refs.body.addEventListener('keydown', (e) => {
    const tr = e.target.closest('tr[data-index]');
    if (tr && e.key === 'Enter') openDetail(Number(tr.getAttribute('data-index')));
  });
  section.appendChild(el('div', { class: 'qa-scroll' }, el('table', { id: 'qa-runs' }, el('thead', null, head), refs.body)));
  refs.pager = el('div', { class: 'qa-pager' });
  section.appendChild(refs.pager);
  return section;
}

function setVerdict(verdict) {
  state.verdict = verdict;
  refs.verdict.value = verdict;
  applyView();
  renderRows();
}

function renderRows() {
  const body = refs.body;
  clear(body);
  const pages = Math.max(1, Math.ceil(state.view.length / PAGE_SIZE));
  state.page = Math.min(Math.max(0, state.page), pages - 1);
  const start = state.page * PAGE_SIZE;
  const rows = state.view.slice(start, start + PAGE_SIZE);
  const fragment = document.createDocumentFragment();
  for (const index of rows) {
    const run = runs[index];
    const tr = el('tr', { 'data-index': index, 'data-verdict': text(run.verdict), tabindex: 0 });
    for (const column of columns) {
      const td = el('td', { class: column.cls || null, 'data-col': column.id });
      column.cell(td, run);
      tr.appendChild(td);
    }
    fragment.appendChild(tr);
  }
  body.appendChild(fragment);
  refs.count.textContent = state.view.length === runs.length ? runs.length + ' runs' : state.view.length + ' of ' + runs.length + ' runs';
  clear(refs.pager);
  if (pages > 1) {
    const go = (page) => () => { state.page = page; renderRows(); };
    refs.pager.append(
      el('button', { type: 'button', 'data-page': 'first', onclick: go(0), disabled: state.page === 0 }, '\u00ab'),
      el('button', { type: 'button', 'data-page': 'prev', onclick: go(state.page - 1), disabled: state.page === 0 }, '\u2039 previous'),
      el('span', { text: 'rows ' + (start + 1) + '\u2013' + (start + rows.length) + ' of ' + state.view.length + ', page ' + (state.page + 1) + ' of ' + pages }),
      el('button', { type: 'button', 'data-page': 'next', onclick: go(state.page + 1), disabled: state.page >= pages - 1 }, 'next \u203a'),
      el('button', { type: 'button', 'data-page': 'last', onclick: go(pages - 1), disabled: state.page >= pages - 1 }, '\u00bb'));
  }
}

// ---- first render ---------------------------------------------------------------------------
const started = performance.now();
app.appendChild(summary());
const optimizationSection = optimization();
if (optimizationSection) app.appendChild(optimizationSection);
app.appendChild(table());
refs.detail = el('aside', { id: 'qa-detail', class: 'qa-detail', hidden: true, 'aria-label': 'run detail' });
document.body.appendChild(refs.detail);
renderRows();
app.appendChild(aggregates());
const chartSection = charts();
if (chartSection) app.appendChild(chartSection);
document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && !refs.detail.hidden) closeDetail(); });
window.addEventListener('hashchange', openFromHash);
openFromHash();
document.documentElement.dataset.qaRenderMs = String(Math.round(performance.now() - started));
document.documentElement.dataset.qaReadyAt = String(Math.round(performance.now()));
document.documentElement.dataset.qaReady = '1';
