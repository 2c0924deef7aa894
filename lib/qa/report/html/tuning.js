// qa-report page: the tuning view. Runs of one label and one list of configuration names that
// differ by their params (qa-batch --tuning-search, a matrix over parameters, --param) are the
// points of a parameter sweep, one point per distinct params object. The view is built from
// report.runs alone (each RUN carries label, configs and params, see
// lib/qa/report/report_json.hpp) and shown when some input has runs at two points or more: the
// points ranked by the mean of a chosen metric over their inputs (the best first, by the
// metric's smaller_is_better), and that mean against each parameter that varies. A ranking row
// or a chart point filters the runs table to the point's runs (setRunSubset, report.js).
const TUNE_ROWS = 50;       // ranking rows per page
const TUNE_POINTS = 2000;   // points drawn per chart at most (evenly sampled, the best always)
const TUNE_LOG_RATIO = 20;  // positive numbers whose largest is this many times the smallest: log axis

// Flatten `params` into `out` with dotted keys, as run keys write them (`filter.size`).
function flattenParams(params, prefix, out) {
  for (const [key, value] of Object.entries(params)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) flattenParams(value, prefix + key + '.', out);
    else out.set(prefix + key, value);
  }
  return out;
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// The families of runs (label and configuration names) that hold tuning points, the one with
// the most points first. A run only the reference has (status null) is no point. The reference
// values of a plain run (its key names no parameter) are the reference of its family's points
// on that input that have none of their own.
function tuningFamilies() {
  const families = new Map();
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (!r || typeof r !== 'object') continue;
    const names = Array.isArray(r.configs) ? r.configs.filter((c) => typeof c === 'string') : [];
    const familyKey = JSON.stringify([text(r.label), names]);
    let family = families.get(familyKey);
    if (!family) {
      family = { label: text(r.label), names: names, points: new Map(), plain: new Map() };
      families.set(familyKey, family);
    }
    const input = text(r.input);
    // A key whose config part names no parameter (`default/base/a.png`) is a plain run.
    if (!(text(r.key).split('/')[1] || '').includes('=')) family.plain.set(input, i);
    if (r.status === null || r.status === undefined) continue;
    // params come from nlohmann::json, whose objects keep their keys sorted: the text is canonical.
    const params = isObject(r.params) ? r.params : {};
    const pointKey = JSON.stringify(params);
    let point = family.points.get(pointKey);
    if (!point) {
      point = { params: params, flat: flattenParams(params, '', new Map()), runs: [], inputs: new Map() };
      family.points.set(pointKey, point);
    }
    point.runs.push(i);
    if (!point.inputs.has(input)) point.inputs.set(input, []);
    point.inputs.get(input).push(i);
  }
  const found = [];
  for (const family of families.values()) {
    if (family.points.size < 2) continue;
    const seen = new Set();
    let shared = false;
    for (const point of family.points.values()) {
      for (const input of point.inputs.keys()) {
        if (seen.has(input)) shared = true;
        seen.add(input);
      }
    }
    if (shared) found.push(finishFamily(family, seen.size));
  }
  return found.sort((a, b) => b.points.length - a.points.length);
}

// Give `family` its points as an array (ordered by their parameter values, each with its `id`),
// the parameters that vary among them and the ones they share.
function finishFamily(family, inputCount) {
  const points = [...family.points.values()];
  const keys = new Set();
  for (const p of points) for (const key of p.flat.keys()) keys.add(key);
  const varying = [];
  const fixed = [];
  for (const key of [...keys].sort(collator.compare)) {
    const first = JSON.stringify(points[0].flat.get(key));
    if (points.every((p) => JSON.stringify(p.flat.get(key)) === first)) fixed.push(key);
    else varying.push(key);
  }
  points.sort((a, b) => {
    for (const key of varying) {
      const order = compareValues(a.flat.get(key), b.flat.get(key));
      if (order) return order;
    }
    return 0;
  });
  points.forEach((p, i) => { p.id = i; });
  return { label: family.label, names: family.names, plain: family.plain, points: points, varying: varying, fixed: fixed, inputs: inputCount };
}

function pointCaption(family, point) {
  const params = family.varying.filter((k) => point.flat.has(k)).map((k) => k + '=' + formatParam(point.flat.get(k))).join(', ');
  return family.label + ': ' + (params || 'no parameter');
}

// Each point's mean of `m` over its inputs (an input's runs averaged first), its reference the
// same way (the reference's run of the same key, else the family's plain run of that input),
// and its counts.
function pointStats(family, m) {
  const valueOf = (i) => { const mc = runs[i].metrics && runs[i].metrics[m.name]; return mc && isNumber(mc.value) ? mc.value : null; };
  const referenceOf = (i) => { const mc = runs[i] && runs[i].metrics && runs[i].metrics[m.name]; return mc && isNumber(mc.reference) ? mc.reference : null; };
  return family.points.map((p) => {
    let sum = 0;
    let valued = 0;
    let refSum = 0;
    let refCount = 0;
    for (const [input, indices] of p.inputs) {
      const values = indices.map(valueOf).filter((v) => v !== null);
      if (values.length) { sum += values.reduce((a, b) => a + b, 0) / values.length; valued += 1; }
      let reference = indices.map(referenceOf).find((v) => v !== null);
      if (reference === undefined && family.plain.has(input)) reference = referenceOf(family.plain.get(input));
      if (reference !== undefined && reference !== null) { refSum += reference; refCount += 1; }
    }
    const failed = p.runs.filter((i) => runs[i].status === 'failed' || runs[i].status === 'timeout').length;
    return { point: p, mean: valued ? sum / valued : null, valued: valued, complete: valued === family.inputs, reference: refCount ? refSum / refCount : null, refCount: refCount, failed: failed };
  });
}

// The stats of `stats` ordered best first (by `m`'s direction): the points with a value on
// every input of their family, then those with values on some (their mean is over fewer
// inputs: not comparable), then those without any.
function rankPoints(stats, m) {
  const dir = m.smaller_is_better ? 1 : -1;
  return stats.slice().sort((a, b) => {
    if ((a.mean === null) !== (b.mean === null)) return a.mean === null ? 1 : -1;
    if (a.complete !== b.complete) return a.complete ? -1 : 1;
    return (a.mean === null ? 0 : (a.mean - b.mean) * dir) || a.point.id - b.point.id;
  });
}

function tuning() {
  const families = tuningFamilies();
  if (!families.length) return null;
  const section = el('section', { id: 'qa-tuning' }, el('h2', { text: 'Tuning' }));
  const numeric = (name) => runs.some((r) => r && r.metrics && r.metrics[name] && isNumber(r.metrics[name].value));
  const choices = metrics.filter((m) => m && typeof m.name === 'string' && numeric(m.name));
  if (!choices.length) {
    section.appendChild(el('p', { class: 'muted', text: 'The runs differ by their parameters, but no metric has a value to rank them by.' }));
    return section;
  }
  const main = choices.find((m) => m.main) || choices[0];
  const view = { family: families[0], metric: main, page: 0, selected: null };
  const metricSelect = el('select', { id: 'qa-tuning-metric', 'aria-label': 'rank by metric' },
    ...choices.map((m) => el('option', { value: m.name, text: text(m.label || m.name) + (m.smaller_is_better ? ' (smaller is better)' : ' (larger is better)'), selected: m === main })));
  metricSelect.addEventListener('change', () => { view.metric = choices.find((m) => m.name === metricSelect.value) || main; view.page = 0; render(); });
  const controls = el('div', { class: 'qa-controls' }, el('label', { for: 'qa-tuning-metric', text: 'rank by ' }), metricSelect);
  if (families.length > 1) {
    const familySelect = el('select', { id: 'qa-tuning-group', 'aria-label': 'label and configuration' },
      ...families.map((f, i) => el('option', { value: String(i), text: familyName(f) + ' (' + f.points.length + ' points)' })));
    familySelect.addEventListener('change', () => { view.family = families[Number(familySelect.value)]; view.page = 0; view.selected = null; render(); });
    controls.appendChild(familySelect);
  }
  const about = el('p', { id: 'qa-tuning-about', class: 'muted' });
  const ranking = el('div', { id: 'qa-tuning-ranking' });
  const box = el('div', { class: 'qa-charts', id: 'qa-tuning-charts' });
  section.append(controls, about, ranking, box);

  const select = (point) => {
    view.selected = point.id;
    for (const tr of ranking.querySelectorAll('tr[data-point]')) tr.classList.toggle('qa-selected', Number(tr.getAttribute('data-point')) === point.id);
    setRunSubset(new Set(point.runs), 'tuning point ' + pointCaption(view.family, point));
    document.getElementById('qa-table').scrollIntoView({ block: 'start' });
  };
  const render = () => {
    const family = view.family;
    const m = view.metric;
    const ranked = rankPoints(pointStats(family, m), m);
    const best = ranked.length && ranked[0].mean !== null ? ranked[0].point.id : null;
    about.textContent = family.points.length + ' points of ' + familyName(family) + ' over ' + family.inputs + ' inputs, ranked by their mean ' +
      text(m.label || m.name) + ' over their inputs (' + (m.smaller_is_better ? 'smaller' : 'larger') + ' is better); varying: ' + family.varying.join(', ') +
      (family.fixed.length ? '; the same for all: ' + family.fixed.map((k) => k + '=' + formatParam(family.points[0].flat.get(k))).join(', ') : '') + '.';
    clear(ranking);
    ranking.appendChild(rankingTable(family, m, ranked, best, view, select, render));
    clear(box);
    for (const key of family.varying) {
      const chart = tuningChart(family, m, ranked, best, key, select);
      if (chart) box.appendChild(chart);
    }
  };
  render();
  return section;
}

function familyName(family) {
  return 'label ' + family.label + (family.names.length ? ', configs ' + family.names.join(' + ') : '');
}

function rankingTable(family, m, ranked, best, view, select, render) {
  const hasReference = ranked.some((s) => s.reference !== null);
  const head = el('tr', null, el('th', { class: 'num', text: 'Rank' }), ...family.varying.map((k) => el('th', { text: k })),
    el('th', { class: 'num', text: text(m.short_label || m.label || m.name) + ' mean' }),
    hasReference ? el('th', { class: 'num', text: 'Reference' }) : null,
    el('th', { class: 'num', text: 'Runs' }), el('th', { class: 'num', text: 'Failed' }), el('th', { class: 'num', text: 'Inputs' }));
  const body = el('tbody');
  const pages = Math.max(1, Math.ceil(ranked.length / TUNE_ROWS));
  view.page = Math.min(Math.max(0, view.page), pages - 1);
  const start = view.page * TUNE_ROWS;
  ranked.slice(start, start + TUNE_ROWS).forEach((s, i) => {
    const p = s.point;
    const classes = [p.id === best ? 'qa-best' : '', p.id === view.selected ? 'qa-selected' : ''].filter(Boolean).join(' ');
    const tr = el('tr', { 'data-point': p.id, 'data-params': JSON.stringify(p.params), 'data-rank': start + i + 1, class: classes || null, tabindex: 0, title: 'show the runs of this point' },
      el('td', { class: 'num', 'data-col': 'rank', text: String(start + i + 1) + (p.id === best ? ' (best)' : '') }),
      ...family.varying.map((k) => el('td', { 'data-col': 'param', text: formatParam(p.flat.get(k)) })),
      el('td', { class: 'num' + (s.complete ? '' : ' muted'), 'data-col': 'mean', 'data-value': s.mean === null ? null : String(s.mean), text: formatValue(m, s.mean),
        title: s.mean !== null && !s.complete ? 'over ' + s.valued + ' of the ' + family.inputs + ' inputs: ranked after the points with a value on every input' : null }),
      hasReference ? el('td', { class: 'num', 'data-col': 'reference', 'data-value': s.reference === null ? null : String(s.reference), text: formatValue(m, s.reference),
        title: s.refCount && s.refCount < family.inputs ? 'over ' + s.refCount + ' of the ' + family.inputs + ' inputs' : null }) : null,
      el('td', { class: 'num', 'data-col': 'runs', text: String(p.runs.length) }),
      el('td', { class: 'num' + (s.failed ? ' v-failed' : ''), 'data-col': 'failed', text: String(s.failed) }),
      el('td', { class: 'num', 'data-col': 'inputs', text: String(p.inputs.size) }));
    tr.addEventListener('click', () => select(p));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(p); });
    body.appendChild(tr);
  });
  const out = el('div', null, el('div', { class: 'qa-scroll' }, el('table', { id: 'qa-tuning-table' }, el('thead', null, head), body)));
  if (pages > 1) {
    const go = (page) => () => { view.page = page; render(); };
    out.appendChild(el('div', { class: 'qa-pager' },
      el('button', { type: 'button', 'data-page': 'first', onclick: go(0), disabled: view.page === 0 }, '\u00ab best'),
      el('button', { type: 'button', 'data-page': 'prev', onclick: go(view.page - 1), disabled: view.page === 0 }, '\u2039 better'),
      el('span', { text: 'points ' + (start + 1) + '\u2013' + Math.min(ranked.length, start + TUNE_ROWS) + ' of ' + ranked.length }),
      el('button', { type: 'button', 'data-page': 'next', onclick: go(view.page + 1), disabled: view.page >= pages - 1 }, 'worse \u203a'),
      el('button', { type: 'button', 'data-page': 'last', onclick: go(pages - 1), disabled: view.page >= pages - 1 }, 'worst \u00bb')));
  }
  return out;
}

// The mean of `m` against the parameter `key`, a point per tuning point that has both.
function tuningChart(family, m, ranked, best, key, select) {
  const drawn = ranked.filter((s) => s.mean !== null && s.point.flat.has(key));
  if (!drawn.length) return null;
  const values = drawn.map((s) => s.point.flat.get(key));
  let spec;
  if (values.every(isNumber)) {
    const lo = values.reduce((a, b) => Math.min(a, b));
    const hi = values.reduce((a, b) => Math.max(a, b));
    spec = { categories: null, lo: lo, hi: hi, log: lo > 0 && hi / lo >= TUNE_LOG_RATIO };
  } else {
    const distinct = new Map(values.map((v) => [JSON.stringify(v), v]));
    spec = { categories: [...distinct.values()].sort(compareValues) };
  }
  const root = chartFrame({ 'data-chart': 'tuning-param', 'data-param': key });
  const { sx, axis } = paramAxis(root, key, spec);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of drawn) { lo = Math.min(lo, s.mean); hi = Math.max(hi, s.mean); }
  const sy = valueScale(root, lo, hi, text(m.short_label || m.label || m.name) + ' mean', (v) => formatValue(m, v));
  const step = Math.max(1, Math.ceil(drawn.length / TUNE_POINTS));
  const byId = new Map();
  let bestDot = null;
  for (let i = 0; i < drawn.length; i++) {
    const s = drawn[i];
    const isBest = s.point.id === best;
    if (i % step !== 0 && !isBest) continue;
    const x = sx(s.point.flat.get(key));
    if (x === null) continue;
    byId.set(s.point.id, s.point);
    const dot = withTitle(svg('circle', { class: isBest ? 'best' : 'ok', 'data-point': s.point.id, cx: x.toFixed(1), cy: sy(s.mean).toFixed(1), r: isBest ? 5 : 3 }),
      pointCaption(family, s.point) + ': ' + formatValue(m, s.mean) + (isBest ? ' (best)' : ''));
    if (isBest) bestDot = dot; else root.appendChild(dot);
  }
  if (bestDot) root.appendChild(bestDot);  // drawn last: on top
  root.addEventListener('click', (e) => {
    const id = e.target.getAttribute && e.target.getAttribute('data-point');
    if (id !== null && id !== undefined && byId.has(Number(id))) select(byId.get(Number(id)));
  });
  const note = step > 1 ? ', ' + byId.size + ' of ' + drawn.length + ' points drawn' : '';
  return el('figure', { class: 'qa-chart' }, root,
    el('figcaption', { text: text(m.label || m.name) + ' mean against ' + key + ' (' + axis + ' axis); the best point is ringed; a click shows its runs' + note }));
}
