// qa-report page, part 5 of 5: the data (the qa.report/1 object and the per-run extras embedded
// in the JSON script element #qa-data; see lib/qa/report/html_report.hpp), the summary, the
// aggregates, the sortable and filterable table of runs, virtualized (only the rows in sight are
// in the DOM, so 100,000 runs scroll as fast as 100), and the first render.
const ROW_HEIGHT = 34;   // px, every row of the runs table (see report.css #qa-runs)
const OVERSCAN = 12;     // rows rendered above and below the visible ones
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
  { id: 'verdict', label: 'Verdict', cls: 'verdict', value: (r) => VERDICTS.indexOf(r.verdict), cell: verdictCell },
  { id: 'input', label: 'Input', cls: 'key', value: (r) => text(r.input), cell: (td, r) => { td.textContent = text(r.input); td.title = text(r.key); } },
  { id: 'label', label: 'Label', value: (r) => text(r.label), cell: (td, r) => { td.textContent = text(r.label); } },
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

// The verdict and, beside it, why (the metric, its change and tolerance: report.reason), whole on
// hover.
function verdictCell(td, r) {
  td.appendChild(verdictBadge(r.verdict));
  if (typeof r.reason === 'string' && r.reason) {
    td.appendChild(el('span', { class: 'qa-reason', text: r.reason }));
    td.title = text(r.verdict) + ': ' + r.reason;
  }
}

const state = { sort: null, dir: 1, filter: '', verdict: '', subset: null, view: runs.map((_, i) => i) };
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
    if (state.subset && !state.subset.has(i)) continue;
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
  refs.subset = el('button', { id: 'qa-subset', type: 'button', hidden: true, title: 'show every run', onclick: () => setRunSubset(null, '') });
  section.appendChild(el('div', { class: 'qa-controls' }, filter, verdict, refs.subset, refs.count = el('span', { id: 'qa-count', class: 'muted' })));
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
    if (!tr) return;
    if (e.key === 'Enter') openDetail(Number(tr.getAttribute('data-index')));
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    // Arrow keys move through the whole view, rendering rows as they come into sight.
    e.preventDefault();
    const position = Number(tr.getAttribute('aria-rowindex')) - 2 + (e.key === 'ArrowDown' ? 1 : -1);
    if (position < 0 || position >= state.view.length) return;
    revealRow(position);
    const next = refs.body.querySelector('tr[aria-rowindex="' + (position + 2) + '"]');
    if (next) next.focus({ preventScroll: true });
  });
  refs.table = el('table', { id: 'qa-runs', 'aria-rowcount': runs.length + 1 }, el('thead', null, head), refs.body);
  refs.scroller = el('div', { id: 'qa-runs-scroll', class: 'qa-vscroll', tabindex: -1 }, refs.table);
  let pending = false;
  refs.scroller.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; renderWindow(); });
  });
  section.appendChild(refs.scroller);
  return section;
}

function setVerdict(verdict) {
  state.verdict = verdict;
  refs.verdict.value = verdict;
  applyView();
  renderRows();
}

// Show only the runs whose indices are in `indices` (a Set; null: every run), named `caption`
// on the button that clears it (tuning.js: the runs of one tuning point).
function setRunSubset(indices, caption) {
  state.subset = indices;
  refs.subset.hidden = !indices;
  refs.subset.textContent = indices ? caption + ' \u00d7' : '';
  applyView();
  renderRows();
}

// Show the view from its first row (after a sort or a filter).
function renderRows() {
  refs.scroller.scrollTop = 0;
  refs.window = null;
  renderWindow();
  refs.count.textContent = state.view.length === runs.length ? runs.length + ' runs' : state.view.length + ' of ' + runs.length + ' runs';
}

// Render the rows in sight (and OVERSCAN more on each side) between two spacer rows that keep the
// table as tall as the whole view, so that the scroll bar says where one is.
function renderWindow() {
  const total = state.view.length;
  const sight = Math.ceil((refs.scroller.clientHeight || 600) / ROW_HEIGHT);
  const first = Math.max(0, Math.floor(refs.scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, first + sight + 2 * OVERSCAN);
  if (refs.window && refs.window[0] === first && refs.window[1] === last && refs.window[2] === state.view) return;
  refs.window = [first, last, state.view];
  const body = refs.body;
  // The focused row keeps the focus when it is rendered anew.
  const active = document.activeElement;
  const focused = active && body.contains(active) ? active.getAttribute('aria-rowindex') : null;
  clear(body);
  const fragment = document.createDocumentFragment();
  const spacer = (rows) => el('tr', { class: 'qa-spacer', 'aria-hidden': 'true', style: 'height:' + rows * ROW_HEIGHT + 'px' });
  if (first > 0) fragment.appendChild(spacer(first));
  for (let position = first; position < last; position++) {
    const index = state.view[position];
    const run = runs[index];
    const tr = el('tr', { 'data-index': index, 'data-verdict': text(run.verdict), tabindex: 0, 'aria-rowindex': position + 2 });
    for (const column of columns) {
      const td = el('td', { class: column.cls || null, 'data-col': column.id });
      column.cell(td, run);
      tr.appendChild(td);
    }
    fragment.appendChild(tr);
  }
  if (last < total) fragment.appendChild(spacer(total - last));
  body.appendChild(fragment);
  const refocus = focused && body.querySelector('tr[aria-rowindex="' + focused + '"]');
  if (refocus) refocus.focus({ preventScroll: true });
  refs.table.setAttribute('aria-rowcount', String(total + 1));
  refs.scroller.dataset.first = String(first);
  refs.scroller.dataset.last = String(last);
}

// Scroll the table so that the row of `position` in the view is in sight.
function revealRow(position) {
  const top = position * ROW_HEIGHT;
  const scroller = refs.scroller;
  const head = ROW_HEIGHT;
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + ROW_HEIGHT + head > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + ROW_HEIGHT + head - scroller.clientHeight;
  renderWindow();
}

// ---- first render ---------------------------------------------------------------------------
const started = performance.now();
app.appendChild(summary());
const optimizationSection = optimization();
if (optimizationSection) app.appendChild(optimizationSection);
const tuningSection = tuning();
if (tuningSection) app.appendChild(tuningSection);
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
