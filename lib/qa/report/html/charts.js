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
