// qa-report page, part 3 of 5: the optimization of qa-report --optimization, drawn from
// report.optimization (qa.optimization/1, see lib/qa/core/optimization.hpp): the convergence
// (objective per evaluation, best so far as a step line, failed evaluations marked), the
// objective against each searched parameter (categories on a discrete axis, log-uniform ones on
// a log axis; the best point highlighted), and the sortable table of evaluations.
const OPT_ROWS = 500;  // table rows rendered at most (sorting works on every evaluation)

function optimization() {
  const opt = report.optimization;
  if (!opt || typeof opt !== 'object' || Array.isArray(opt)) return null;
  const evaluations = (Array.isArray(opt.evaluations) ? opt.evaluations : [])
    .filter((e) => e && typeof e === 'object' && isNumber(e.evaluation))
    .sort((a, b) => a.evaluation - b.evaluation);
  const space = (Array.isArray(opt.search_space) ? opt.search_space : []).filter((d) => d && typeof d.name === 'string');
  let best = null;
  const bestSoFar = [];
  for (const e of evaluations) {
    if (e.status === 'ok' && isNumber(e.objective) && (best === null || e.objective < best)) best = e.objective;
    bestSoFar.push(best);
  }
  const section = el('section', { id: 'qa-optimization' }, el('h2', { text: 'Optimization' }));
  const counts = { ok: 0, failed: 0, interrupted: 0 };
  for (const e of evaluations) if (e.status in counts) counts[e.status] += 1;
  const params = opt.params && typeof opt.params === 'object' ? Object.entries(opt.params).map(([k, v]) => k + '=' + formatParam(v)).join(', ') : '';
  section.appendChild(el('p', { id: 'qa-optimization-best' }, isNumber(opt.objective)
    ? 'Best objective ' + formatNumber(opt.objective) + ' at evaluation ' + text(opt.evaluation) + ' (' + text(opt.label) + '): ' + params + '.'
    : 'No evaluation succeeded: there are no best runs to compare.'));
  section.appendChild(el('p', { class: 'muted' }, evaluations.length + ' of ' + text(opt.budget) + ' evaluations: ' + counts.ok + ' ok, ' + counts.failed + ' failed' +
    (counts.interrupted ? ', ' + counts.interrupted + ' interrupted' : '') + '; solver ' + text(opt.solver) + ', seed ' + text(opt.seed) + ', ' + text(opt.parallel) +
    ' at once; objective (minimized) over ' + (Array.isArray(opt.metrics) ? opt.metrics.map(text).join(', ') : '') + ', from ' + text(opt.file) + '.' +
    (opt.label ? ' The runs below are the best evaluation\u2019s, each compared with the run of the plain batch (label ' + text(opt.base_label) + ') at the reference.' : '')));
  const box = el('div', { class: 'qa-charts' });
  box.appendChild(convergenceChart(opt, evaluations, bestSoFar));
  for (const dimension of space) {
    const chart = paramChart(opt, dimension, evaluations);
    if (chart) box.appendChild(chart);
  }
  section.appendChild(box);
  section.appendChild(evaluationTable(opt, space, evaluations, bestSoFar));
  return section;
}

// The y scale of the objectives of `evaluations` (smaller is better: the best is lowest).
function objectiveScale(root, evaluations) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of evaluations) {
    if (e.status === 'ok' && isNumber(e.objective)) { lo = Math.min(lo, e.objective); hi = Math.max(hi, e.objective); }
  }
  return lo === Infinity ? null : valueScale(root, lo, hi, 'objective', formatNumber);
}

function failedMark(x, e) {
  const y = PLOT_PAD.top + 2;
  return withTitle(svg('path', { class: 'mark-' + (e.status === 'interrupted' ? 'interrupted' : 'failed'), 'data-evaluation': e.evaluation,
    d: 'M' + (x - 4).toFixed(1) + ' ' + (y - 4) + 'L' + (x + 4).toFixed(1) + ' ' + (y + 4) + 'M' + (x - 4).toFixed(1) + ' ' + (y + 4) + 'L' + (x + 4).toFixed(1) + ' ' + (y - 4) }),
  'evaluation ' + e.evaluation + ': ' + text(e.status) + (Array.isArray(e.notes) && e.notes.length ? ' (' + e.notes.map(text).join('; ') + ')' : ''));
}

function convergenceChart(opt, evaluations, bestSoFar) {
  const root = chartFrame({ 'data-chart': 'convergence' });
  const last = evaluations.length ? evaluations[evaluations.length - 1].evaluation : 1;
  const first = evaluations.length ? evaluations[0].evaluation : 1;
  const span = Math.max(1, last - first);
  const sx = (n) => PLOT_PAD.left + 8 + ((n - first) / span) * (PLOT_W - PLOT_PAD.left - PLOT_PAD.right - 16);
  chartText(root, sx(first), PLOT_H - PLOT_PAD.bottom + 14, String(first), 'middle');
  if (last !== first) chartText(root, sx(last), PLOT_H - PLOT_PAD.bottom + 14, String(last), 'middle');
  chartText(root, (PLOT_W + PLOT_PAD.left) / 2, PLOT_H - 4, 'evaluation', 'middle');
  const sy = objectiveScale(root, evaluations);
  if (sy) {
    let path = '';
    for (let i = 0; i < evaluations.length; i++) {
      if (bestSoFar[i] === null) continue;
      const x = sx(evaluations[i].evaluation).toFixed(1);
      const y = sy(bestSoFar[i]).toFixed(1);
      path += path ? 'H' + x + 'V' + y : 'M' + x + ' ' + y;
    }
    if (evaluations.length) path += 'H' + sx(last).toFixed(1);
    root.appendChild(svg('path', { class: 'best-line', d: path }));
  }
  for (const e of evaluations) {
    if (e.status === 'ok' && isNumber(e.objective) && sy) {
      const isBest = e.evaluation === opt.evaluation;
      root.appendChild(withTitle(svg('circle', { class: isBest ? 'best' : 'ok', 'data-evaluation': e.evaluation, cx: sx(e.evaluation).toFixed(1), cy: sy(e.objective).toFixed(1), r: isBest ? 5 : 3 }),
        'evaluation ' + e.evaluation + ': ' + formatNumber(e.objective) + (isBest ? ' (best)' : '')));
    } else if (e.status !== 'ok') {
      root.appendChild(failedMark(sx(e.evaluation), e));
    }
  }
  return el('figure', { class: 'qa-chart' }, root, el('figcaption', { text: 'objective per evaluation (smaller is better); the line is the best so far, \u00d7 a failed evaluation' }));
}

function paramChart(opt, dimension, evaluations) {
  const name = dimension.name;
  const valueOf = (e) => (e.point && typeof e.point === 'object' && name in e.point ? e.point[name] : e.params && typeof e.params === 'object' ? e.params[name] : undefined);
  const points = evaluations.filter((e) => e.status === 'ok' && isNumber(e.objective) && valueOf(e) !== undefined);
  const categories = dimension.kind === 'categorical' && Array.isArray(dimension.categories) ? dimension.categories : null;
  const values = points.map(valueOf).filter(isNumber);
  const lo = isNumber(dimension.low) ? dimension.low : Math.min(...values);
  const hi = isNumber(dimension.high) ? dimension.high : Math.max(...values);
  const log = !categories && dimension.prior === 'log-uniform' && lo > 0 && values.every((v) => v > 0);
  if (!categories && !values.length && !(isNumber(lo) && isNumber(hi))) return null;
  const root = chartFrame({ 'data-chart': 'param', 'data-param': name });
  const { sx, axis } = paramAxis(root, name, { categories: categories, lo: lo, hi: hi, log: log });
  const sy = objectiveScale(root, evaluations);
  let bestDot = null;
  for (const e of points) {
    const x = sx(valueOf(e));
    if (x === null || !sy) continue;
    const isBest = e.evaluation === opt.evaluation;
    const dot = withTitle(svg('circle', { class: isBest ? 'best' : 'ok', 'data-evaluation': e.evaluation, cx: x.toFixed(1), cy: sy(e.objective).toFixed(1), r: isBest ? 5 : 3 }),
      'evaluation ' + e.evaluation + ': ' + name + ' ' + formatParam(valueOf(e)) + ', objective ' + formatNumber(e.objective));
    if (isBest) bestDot = dot; else root.appendChild(dot);
  }
  if (bestDot) root.appendChild(bestDot);  // drawn last: on top
  return el('figure', { class: 'qa-chart' }, root, el('figcaption', { text: 'objective against ' + name + ' (' + axis + ' axis); the best point is ringed' }));
}

function evaluationTable(opt, space, evaluations, bestSoFar) {
  const metricNames = Array.isArray(opt.metrics) ? opt.metrics.filter((m) => typeof m === 'string') : [];
  const rows = evaluations.map((e, i) => ({ e: e, best: bestSoFar[i] }));
  const cols = [
    { id: 'evaluation', label: 'Evaluation', num: true, value: (r) => r.e.evaluation, show: (r) => String(r.e.evaluation) + (r.e.evaluation === opt.evaluation ? ' (best)' : '') },
    { id: 'status', label: 'Status', value: (r) => text(r.e.status), show: (r) => text(r.e.status), cls: (r) => (r.e.status === 'ok' ? '' : 'v-failed') },
    { id: 'objective', label: 'Objective', num: true, value: (r) => (isNumber(r.e.objective) ? r.e.objective : null), show: (r) => formatNumber(r.e.objective) },
    { id: 'best', label: 'Best so far', num: true, value: (r) => r.best, show: (r) => formatNumber(r.best) },
  ];
  for (const d of space) {
    const get = (r) => (r.e.point && typeof r.e.point === 'object' ? r.e.point[d.name] : undefined);
    cols.push({ id: 'param:' + d.name, label: d.name, num: d.kind !== 'categorical', value: (r) => (get(r) === undefined ? null : get(r)), show: (r) => formatParam(get(r)) });
  }
  for (const name of metricNames) {
    const m = def(name);
    const get = (r) => (r.e.aggregates && isNumber(r.e.aggregates[name]) ? r.e.aggregates[name] : null);
    cols.push({ id: 'aggregate:' + name, label: text(m.short_label || m.label || name), num: true, value: get, show: (r) => formatValue(m, get(r)) });
  }
  cols.push({ id: 'notes', label: 'Notes', value: (r) => (Array.isArray(r.e.notes) ? r.e.notes.map(text).join('; ') : ''), show: (r) => (Array.isArray(r.e.notes) ? r.e.notes.map(text).join('; ') : '') });

  const sorting = { col: null, dir: 1 };
  const body = el('tbody');
  const note = el('p', { class: 'muted' });
  const render = () => {
    const view = rows.slice();
    const col = cols.find((c) => c.id === sorting.col);
    if (col) {
      view.sort((a, b) => {
        const ka = col.value(a);
        const kb = col.value(b);
        const missing = (ka === null || ka === undefined) !== (kb === null || kb === undefined);
        const order = compareValues(ka, kb);
        return (missing ? order : order * sorting.dir) || a.e.evaluation - b.e.evaluation;
      });
    }
    clear(body);
    for (const r of view.slice(0, OPT_ROWS)) {
      const tr = el('tr', { 'data-evaluation': r.e.evaluation, class: r.e.evaluation === opt.evaluation ? 'qa-best' : null });
      for (const c of cols) {
        const extra = c.cls ? c.cls(r) : '';
        tr.appendChild(el('td', { class: [c.num ? 'num' : '', extra].filter(Boolean).join(' ') || null, 'data-col': c.id, text: c.show(r) }));
      }
      body.appendChild(tr);
    }
    note.textContent = view.length > OPT_ROWS ? 'showing ' + OPT_ROWS + ' of ' + view.length + ' evaluations: sort to see the others' : '';
  };
  const head = el('tr');
  for (const c of cols) {
    const th = el('th', { class: 'sortable' + (c.num ? ' num' : ''), 'data-sort': c.id, text: c.label, tabindex: 0, scope: 'col' });
    const sort = () => {
      sorting.dir = sorting.col === c.id ? -sorting.dir : 1;
      sorting.col = c.id;
      for (const other of head.children) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', sorting.dir > 0 ? 'ascending' : 'descending');
      render();
    };
    th.addEventListener('click', sort);
    th.addEventListener('keydown', (e) => { if (e.key === 'Enter') sort(); });
    head.appendChild(th);
  }
  render();
  return el('div', null, el('h3', { text: 'Evaluations' }),
    el('div', { class: 'qa-scroll' }, el('table', { id: 'qa-evaluations' }, el('thead', null, head), body)), note);
}
