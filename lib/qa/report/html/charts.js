// qa-report page, part 2 of 5: per-metric charts of new against reference values, as inline SVG.
const CHART_POINTS = 2000;  // points drawn per chart at most (evenly sampled beyond)

function charts() {
  const section = el('section', { id: 'qa-charts' }, el('h2', { text: 'New against reference' }));
  const box = el('div', { class: 'qa-charts' });
  for (const m of tableMetrics) {
    const chart = scatter(m);
    if (chart) box.appendChild(chart);
  }
  if (!box.firstChild) return null;
  section.appendChild(box);
  return section;
}

function scatter(m) {
  const points = [];
  for (let i = 0; i < runs.length; i++) {
    const mc = runs[i].metrics && runs[i].metrics[m.name];
    if (mc && typeof mc.value === 'number' && typeof mc.reference === 'number' && Number.isFinite(mc.value) && Number.isFinite(mc.reference)) {
      points.push([mc.reference, mc.value, mc.verdict, i]);
    }
  }
  if (!points.length) return null;
  const size = 240;
  const pad = 30;  // both axes share one scale, labelled on the x axis
  let lo = Infinity;
  let hi = -Infinity;
  for (const [x, y] of points) { lo = Math.min(lo, x, y); hi = Math.max(hi, x, y); }
  if (hi === lo) { hi += Math.abs(hi) * 0.01 || 1; lo -= Math.abs(lo) * 0.01 || 1; }
  const span = hi - lo;
  const sx = (v) => pad + ((v - lo) / span) * (size - pad - 8);
  const sy = (v) => size - pad - ((v - lo) / span) * (size - pad - 8);
  const root = svg('svg', { width: size, height: size, viewBox: '0 0 ' + size + ' ' + size, role: 'img', 'data-metric': m.name });
  root.appendChild(svg('line', { class: 'axis', x1: pad, y1: size - pad, x2: size - 8, y2: size - pad }));
  root.appendChild(svg('line', { class: 'axis', x1: pad, y1: 8, x2: pad, y2: size - pad }));
  root.appendChild(svg('line', { class: 'diag', x1: sx(lo), y1: sy(lo), x2: sx(hi), y2: sy(hi) }));
  const label = (x, y, value, anchor) => {
    const t = svg('text', { x: x, y: y, 'text-anchor': anchor });
    t.textContent = value;
    root.appendChild(t);
  };
  label(pad, size - pad + 14, formatValue(m, lo), 'start');
  label(size - 8, size - pad + 14, formatValue(m, hi), 'end');
  label((size + pad) / 2, size - 4, 'reference', 'middle');
  const newLabel = svg('text', { x: 0, y: 0, 'text-anchor': 'middle', transform: 'translate(12 ' + (size - pad) / 2 + ') rotate(-90)' });
  newLabel.textContent = 'new (same scale)';
  root.appendChild(newLabel);
  const step = Math.max(1, Math.ceil(points.length / CHART_POINTS));
  const titled = points.length <= 500;
  for (let i = 0; i < points.length; i += step) {
    const [x, y, verdict, index] = points[i];
    const dot = svg('circle', { cx: sx(x).toFixed(1), cy: sy(y).toFixed(1), r: 3, class: 'v-' + text(verdict), 'data-index': index });
    if (titled) {
      const title = svg('title');
      title.textContent = text(runs[index].input) + ': ' + formatValue(m, y) + ' (ref ' + formatValue(m, x) + ')';
      dot.appendChild(title);
    }
    root.appendChild(dot);
  }
  root.addEventListener('click', (e) => {
    const index = e.target.getAttribute && e.target.getAttribute('data-index');
    if (index !== null && index !== undefined) openDetail(Number(index));
  });
  const caption = text(m.label || m.name) + (m.smaller_is_better ? ' (smaller is better)' : ' (larger is better)');
  const note = step > 1 ? ', ' + Math.ceil(points.length / step) + ' of ' + points.length + ' runs drawn' : '';
  return el('figure', { class: 'qa-chart' }, root, el('figcaption', { text: caption + ': new (y) against reference (x)' + note }));
}

// ---- parameter charts, shared by the optimization (optimization.js) and tuning (tuning.js)
// views: a value against one parameter, on a linear, log or category x axis.
const PLOT_W = 420;
const PLOT_H = 240;
const PLOT_PAD = { left: 56, right: 12, top: 14, bottom: 34 };

function isNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

function formatNumber(value) {
  return isNumber(value) ? String(Number(value.toPrecision(6))) : '\u2013';
}

function formatParam(value) {
  if (value === undefined) return '\u2013';
  return isNumber(value) ? formatNumber(value) : text(value);
}

// An SVG of the chart size with its axes.
function chartFrame(attrs) {
  const root = svg('svg', Object.assign({ width: PLOT_W, height: PLOT_H, viewBox: '0 0 ' + PLOT_W + ' ' + PLOT_H, role: 'img' }, attrs));
  root.appendChild(svg('line', { class: 'axis', x1: PLOT_PAD.left, y1: PLOT_H - PLOT_PAD.bottom, x2: PLOT_W - PLOT_PAD.right, y2: PLOT_H - PLOT_PAD.bottom }));
  root.appendChild(svg('line', { class: 'axis', x1: PLOT_PAD.left, y1: PLOT_PAD.top, x2: PLOT_PAD.left, y2: PLOT_H - PLOT_PAD.bottom }));
  return root;
}

function chartText(root, x, y, value, anchor, cls) {
  const t = svg('text', { x: x, y: y, 'text-anchor': anchor, class: cls || null });
  t.textContent = value;
  root.appendChild(t);
}

function withTitle(node, value) {
  const title = svg('title');
  title.textContent = value;
  node.appendChild(title);
  return node;
}

// Label the y axis of `root` from `lo` to `hi` (written with `format`, titled `label`) and
// return `sy`, which maps a value to y; a band above the highest value is left for marks.
function valueScale(root, lo, hi, label, format) {
  if (hi === lo) { hi += Math.abs(hi) * 0.01 || 1; lo -= Math.abs(lo) * 0.01 || 1; }
  const top = PLOT_PAD.top + 10;
  const sy = (v) => PLOT_H - PLOT_PAD.bottom - ((v - lo) / (hi - lo)) * (PLOT_H - PLOT_PAD.bottom - top);
  chartText(root, PLOT_PAD.left - 4, sy(lo) + 3, format(lo), 'end');
  chartText(root, PLOT_PAD.left - 4, sy(hi) + 3, format(hi), 'end');
  const title = svg('text', { x: 0, y: 0, 'text-anchor': 'middle', transform: 'translate(12 ' + (PLOT_H - PLOT_PAD.bottom + top) / 2 + ') rotate(-90)' });
  title.textContent = label;
  root.appendChild(title);
  return sy;
}

// Draw the x axis of the parameter `name` on `root` and return {sx, axis}: `sx` maps a value
// to x (null when it has no place on the axis), `axis` is 'category' (`spec.categories`, in
// their order, each value matched by its JSON), 'log' (`spec.log`, from `spec.lo` to `spec.hi`,
// both above 0) or 'linear'. The axis kind is also set as the chart's data-axis attribute.
function paramAxis(root, name, spec) {
  const left = PLOT_PAD.left + 8;
  const width = PLOT_W - PLOT_PAD.left - PLOT_PAD.right - 16;
  const categories = spec.categories;
  const log = !categories && spec.log;
  let sx;
  if (categories) {
    const n = Math.max(1, categories.length);
    const keys = new Map(categories.map((c, i) => [JSON.stringify(c), i]));
    sx = (v) => { const i = keys.get(JSON.stringify(v)); return i === undefined ? null : left + ((i + 0.5) / n) * width; };
    const step = Math.max(1, Math.ceil(n / 8));
    for (let i = 0; i < n; i += step) {
      const label = text(categories[i]);
      chartText(root, left + ((i + 0.5) / n) * width, PLOT_H - PLOT_PAD.bottom + 14, label.length > 14 ? label.slice(0, 13) + '\u2026' : label, 'middle');
    }
  } else {
    let lo = spec.lo;
    let hi = spec.hi;
    if (!(hi > lo)) {
      const pad = Math.abs(lo) * 0.01 || 1;
      hi = lo + pad;
      lo = log ? lo / 2 : lo - pad;
    }
    const f = log ? Math.log : (v) => v;
    sx = (v) => (isNumber(v) && (!log || v > 0) ? left + ((f(v) - f(lo)) / (f(hi) - f(lo))) * width : null);
    chartText(root, left, PLOT_H - PLOT_PAD.bottom + 14, formatNumber(lo), 'start');
    chartText(root, left + width, PLOT_H - PLOT_PAD.bottom + 14, formatNumber(hi), 'end');
  }
  chartText(root, (PLOT_W + PLOT_PAD.left) / 2, PLOT_H - 4, name + (log ? ' (log scale)' : ''), 'middle');
  const axis = categories ? 'category' : log ? 'log' : 'linear';
  root.setAttribute('data-axis', axis);
  return { sx: sx, axis: axis };
}
