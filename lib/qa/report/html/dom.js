// qa-report page, part 1 of 5: DOM helpers and value formatting. The parts are concatenated in
// this order inside one block of one strict script by lib/qa/report/html_report.cpp, so their
// declarations share a scope and nothing leaks to the window.
//
// Safety: every string from the data reaches the page through textContent or setAttribute on
// elements built here, never as markup (no innerHTML, no eval); a link is clickable only when its
// URL parses with the http or https scheme.

const SVG_NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  return node;
}

function setAttrs(node, attrs) {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'onclick') node.addEventListener('click', value);
    else node.setAttribute(name, String(value));
  }
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch (e) {
    return null;
  }
}

function text(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function short(hash) {
  return typeof hash === 'string' ? hash.slice(0, 12) : '';
}

function precisionOf(m) {
  const p = Number(m.precision);
  return Number.isInteger(p) && p >= 0 && p <= 20 ? p : 3;
}

// Durations and memory as people read them: "850 ms", "2.31 s", "4 min 5 s"; "512 KiB", "1.5 GiB".
function formatSeconds(seconds) {
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(seconds);
  if (s < 1) return sign + (s * 1000).toFixed(s < 0.01 ? 2 : 0) + ' ms';
  if (s < 60) return sign + s.toFixed(s < 10 ? 2 : 1) + ' s';
  if (s < 3600) return sign + Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
  return sign + Math.floor(s / 3600) + ' h ' + Math.round((s % 3600) / 60) + ' min';
}

function formatMebibytes(mib) {
  const sign = mib < 0 ? '-' : '';
  const m = Math.abs(mib);
  if (m < 1) return sign + (m * 1024).toFixed(0) + ' KiB';
  if (m < 1024) return sign + m.toFixed(m < 10 ? 1 : 0) + ' MiB';
  return sign + (m / 1024).toFixed(2) + ' GiB';
}

// qatools' own measures, unless the metrics file declares them with units of its own.
const HUMAN_UNITS = { compute_time: formatSeconds, peak_rss_mb: formatMebibytes };
function humanUnit(m) {
  return m && !m.declared && Object.prototype.hasOwnProperty.call(HUMAN_UNITS, m.name) ? HUMAN_UNITS[m.name] : null;
}

function formatValue(m, value) {
  if (value === null || value === undefined) return '\u2013';
  if (typeof value !== 'number') return text(value);
  const human = humanUnit(m);
  if (human) return human(value);
  const scale = typeof m.scale === 'number' ? m.scale : 1;
  return (value * scale).toFixed(precisionOf(m)) + (typeof m.suffix === 'string' ? m.suffix : '');
}

function formatDelta(m, mc) {
  if (!mc || typeof mc.delta !== 'number') return '';
  const scale = typeof m.scale === 'number' ? m.scale : 1;
  const d = mc.delta * scale;
  const human = humanUnit(m);
  let out = (d > 0 ? '+' : '') + (human ? human(mc.delta) : d.toFixed(precisionOf(m)));
  if (typeof mc.relative === 'number') out += ' (' + (mc.relative > 0 ? '+' : '') + (mc.relative * 100).toFixed(1) + '%)';
  return out;
}

function verdictBadge(verdict) {
  return el('span', { class: 'badge v-' + text(verdict), text: verdict === null ? 'n/a' : text(verdict) });
}
