// qa-report page, the part between optimization.js and detail.js: image review in a run's
// detail view, the runs table's thumbnail column and previous/next run. An image output shows as
// synchronized panes (reference, new, the difference as a colour map with its scale, and the
// run's input-side images named by qaboard.yaml's visualizations) or as a slider with a draggable
// divider; one zoom and pan state per view is applied to every pane as a CSS transform and
// exposed as data-zoom/data-x/data-y on each pane. Wheel zooms at the cursor, drag pans, + - 0 1
// and arrows work when the view has focus; full screen through the Fullscreen API (or a fixed
// overlay). Hovering shows the pixel's coordinates, and its values when the browser lets the
// page read its images (Chromium does not from file://: the line says so).
// Large images load their downscaled preview first and the full file once the zoom needs it.
const ZOOM_MIN = 1 / 64;
const ZOOM_MAX = 64;

function imageStats(image) {
  const s = image.stats;
  if (!s) return image.note ? el('span', { class: 'qa-note', text: text(image.note) }) : null;
  const psnr = s.psnr === null || s.psnr === undefined ? 'inf (identical)' : Number(s.psnr).toFixed(2) + ' dB';
  return el('span', { class: 'qa-stats', text: 'max abs difference ' + text(s.max_abs_diff) + ', PSNR ' + psnr + ', pixels changed ' + (Number(s.changed_share) * 100).toFixed(3) + '% (' + text(s.changed_pixels) + ')' });
}

function sizeOf(width, height) {
  const w = Number(width);
  const h = Number(height);
  return w > 0 && h > 0 ? { w: w, h: h } : null;
}

// The images section of a run's detail (null when the run has none): one view per image output,
// the input-side images of the run in every view, and the list of its input-side files.
function imageReview(extra) {
  if (!extra) return null;
  const inputs = Array.isArray(extra.inputs) ? extra.inputs : [];
  const inputPanes = inputs.filter((f) => f && f.image && typeof f.url === 'string' && !f.hidden);
  const images = Array.isArray(extra.images) ? extra.images : [];
  const box = el('div', { id: 'qa-images' });
  for (const image of images) {
    if (!image) continue;
    if (image.hidden) {
      const details = el('details', { class: 'qa-hidden-view', 'data-path': text(image.path) },
        el('summary', { text: text(image.name || image.path) + ' (hidden by default)' }));
      details.addEventListener('toggle', () => { if (details.open && details.children.length === 1) details.appendChild(imageView(image, inputPanes)); });
      box.appendChild(details);
    } else {
      box.appendChild(imageView(image, inputPanes));
    }
  }
  if (!images.length && inputPanes.length) box.appendChild(imageView({ path: '', change: 'input' }, inputPanes));
  if (inputs.length) box.appendChild(inputList(inputs));
  return box.children.length ? box : null;
}

function inputList(inputs) {
  const body = el('tbody');
  for (const f of inputs) {
    body.appendChild(el('tr', { 'data-role': text(f.role) }, el('td', { text: text(f.name) }), el('td', { class: 'key mono', text: text(f.path) }),
      el('td', { class: f.note ? 'qa-note' : 'muted', text: f.note ? text(f.note) : f.image ? 'image' + (f.width ? ' ' + f.width + '\u00d7' + f.height : '') : 'copied' })));
  }
  return el('table', { id: 'qa-inputs' }, el('thead', null, el('tr', null, ...['input side', 'path', ''].map((h) => el('th', { text: h })))), body);
}

// One image output: header, statistics, toolbar, the panes or the slider, and the pixel line.
function imageView(image, inputPanes) {
  const path = text(image.path);
  const box = el('div', { class: 'qa-image', 'data-path': path });
  const title = image.name && image.name !== image.path ? text(image.name) + ' \u2014 ' + path : path || 'input side';
  box.appendChild(el('h4', null, title, ' ', el('span', { class: 'muted', text: '(' + text(image.change) + ')' })));
  const stats = imageStats(image);
  if (stats) box.appendChild(stats);
  if (image.note && image.stats) box.appendChild(el('div', { class: 'qa-note', text: text(image.note) }));
  const size = sizeOf(image.width, image.height) || sizeOf(image.reference_width, image.reference_height);
  const layers = [];
  if (typeof image.reference === 'string') layers.push({ id: 'reference', label: 'reference', url: image.reference, preview: image.reference_preview, size: sizeOf(image.reference_width, image.reference_height) || size });
  if (typeof image.new === 'string') layers.push({ id: 'new', label: 'new', url: image.new, preview: image.new_preview, size: sizeOf(image.width, image.height) || size });
  if (typeof image.diff === 'string') layers.push({ id: 'diff', label: 'difference', url: image.diff, preview: image.diff_preview, size: size, max: image.diff_max !== undefined ? image.diff_max : image.stats && image.stats.max_abs_diff });
  inputPanes.forEach((f, i) => layers.push({ id: 'input-' + i, label: text(f.name), url: f.url, preview: f.preview, size: sizeOf(f.width, f.height) || size, input: true }));
  if (!layers.length) return box;
  const view = { zoom: 1, x: 0, y: 0, split: 50, mode: 'panes', fitted: false, box: box, size: size || layers[0].size };
  const stage = el('div', { class: 'qa-stage', tabindex: 0, 'aria-label': 'image view of ' + (path || 'the input side') + ': wheel or + - 0 to zoom, drag or arrows to pan' });
  const pixel = el('div', { class: 'qa-pixel muted', 'aria-live': 'polite', text: 'hover a pixel to read it' });
  view.stage = stage;
  view.pixel = pixel;
  const both = typeof image.new === 'string' && typeof image.reference === 'string';
  const tabs = el('div', { class: 'qa-tabs', role: 'tablist' });
  const select = (mode) => {
    view.mode = mode;
    for (const b of tabs.children) b.setAttribute('aria-selected', String(b.getAttribute('data-view') === mode));
    clear(stage);
    stage.appendChild(mode === 'slider' ? sliderFrame(view, layers) : panesFrame(view, layers));
    // The slider's one wide view and the panes differ in size: each starts fitted.
    if (view.fitted && stage.isConnected) fitView(view);
    else applyViewState(view);
  };
  tabs.append(el('button', { type: 'button', role: 'tab', 'data-view': 'panes', onclick: () => select('panes') }, 'Panes'),
    el('button', { type: 'button', role: 'tab', 'data-view': 'slider', disabled: !both, onclick: () => select('slider') }, 'Slider'));
  const zoomBy = (factor) => { const v = viewportSize(view); zoomAt(view, v.w / 2, v.h / 2, factor); };
  const tools = el('div', { class: 'qa-iv-tools' }, tabs,
    el('span', { class: 'qa-zoom-buttons' },
      el('button', { type: 'button', 'data-action': 'zoom-out', title: 'zoom out (-)', onclick: () => zoomBy(1 / 1.5) }, '\u2212'),
      el('button', { type: 'button', 'data-action': 'zoom-in', title: 'zoom in (+)', onclick: () => zoomBy(1.5) }, '+'),
      el('button', { type: 'button', 'data-action': 'fit', title: 'fit (0)', onclick: () => fitView(view) }, 'fit'),
      el('button', { type: 'button', 'data-action': 'one', title: 'one image pixel per screen pixel (1)', onclick: () => zoomTo(view, 1) }, '1:1'),
      el('button', { type: 'button', 'data-action': 'fullscreen', title: 'full screen', onclick: () => toggleFullscreen(view) }, 'full screen')));
  box.append(tools, stage, pixel);
  stage.addEventListener('keydown', (e) => viewKey(view, e));
  box.addEventListener('fullscreenchange', () => {
    box.setAttribute('data-fullscreen', document.fullscreenElement === box ? '1' : '0');
    requestAnimationFrame(() => fitView(view));
  });
  select('panes');
  return box;
}

function sharedImage(view, layer, cls) {
  const node = el('img', { class: 'qa-pix' + (cls ? ' ' + cls : ''), alt: layer.label + ' ' + text(view.box.getAttribute('data-path')), decoding: 'async', draggable: 'false', 'data-layer': layer.id });
  const size = layer.size;
  if (size) {
    node.style.width = size.w + 'px';
    node.style.height = size.h + 'px';
  }
  node.setAttribute('data-full', layer.url);
  node.setAttribute('src', typeof layer.preview === 'string' ? layer.preview : layer.url);
  if (typeof layer.preview === 'string') node.setAttribute('data-preview', layer.preview);
  node.addEventListener('load', () => {
    if (!view.size) {
      view.size = { w: node.naturalWidth, h: node.naturalHeight };
      layer.size = view.size;
    }
    if (!node.style.width && layer.size) {
      node.style.width = layer.size.w + 'px';
      node.style.height = layer.size.h + 'px';
    }
    if (!view.fitted) fitView(view);
  });
  return node;
}

function viewport(view, ...children) {
  const port = el('div', { class: 'qa-viewport' }, ...children);
  port.addEventListener('wheel', (e) => {
    e.preventDefault();
    const r = port.getBoundingClientRect();
    zoomAt(view, e.clientX - r.left, e.clientY - r.top, Math.exp(-Math.max(-300, Math.min(300, e.deltaY)) * 0.002));
  }, { passive: false });
  port.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    const start = { px: e.clientX, py: e.clientY, x: view.x, y: view.y };
    port.setPointerCapture(e.pointerId);
    port.classList.add('qa-dragging');
    const move = (m) => { view.x = start.x + m.clientX - start.px; view.y = start.y + m.clientY - start.py; view.fitted = true; applyViewState(view); };
    const up = () => {
      port.classList.remove('qa-dragging');
      port.removeEventListener('pointermove', move);
      port.removeEventListener('pointerup', up);
      port.removeEventListener('pointercancel', up);
    };
    port.addEventListener('pointermove', move);
    port.addEventListener('pointerup', up);
    port.addEventListener('pointercancel', up);
    e.preventDefault();
    view.stage.focus({ preventScroll: true });
  });
  port.addEventListener('pointermove', (e) => { const r = port.getBoundingClientRect(); showPixel(view, e.clientX - r.left, e.clientY - r.top); });
  return port;
}

function panesFrame(view, layers) {
  const panes = el('div', { class: 'qa-panes', 'data-count': layers.length });
  for (const layer of layers) {
    const pane = el('figure', { class: 'qa-pane', 'data-pane': layer.id },
      el('figcaption', { text: layer.label }), viewport(view, sharedImage(view, layer)));
    if (layer.id === 'diff') pane.appendChild(legend(layer.max));
    panes.appendChild(pane);
  }
  return panes;
}

// The scale of the difference colour map: black for identical pixels, then viridis from the
// smallest difference to `max` (the largest |new - reference| of the image).
function legend(max) {
  const value = Number(max);
  const shown = Number.isFinite(value) ? String(value) : '?';
  return el('div', { class: 'qa-legend', 'data-max': shown, title: '|new \u2212 reference| per pixel (largest channel); black: identical' },
    el('span', { class: 'qa-legend-zero', text: '0' }), el('span', { class: 'qa-legend-bar' }), el('span', { class: 'qa-legend-max', text: shown }));
}

function sliderFrame(view, layers) {
  const reference = layers.find((l) => l.id === 'reference');
  const fresh = layers.find((l) => l.id === 'new');
  const clip = el('div', { class: 'qa-clip' }, sharedImage(view, fresh, 'top'));
  const divider = el('div', { class: 'qa-divider', role: 'slider', tabindex: 0, 'aria-label': 'divider: new on the left, reference on the right', 'aria-valuemin': 0, 'aria-valuemax': 100 });
  const port = viewport(view, sharedImage(view, reference, 'bottom'), clip, divider);
  const slider = el('div', { class: 'qa-slider qa-pane', 'data-pane': 'slider' }, el('figcaption', null, el('span', { text: 'new' }), el('span', { text: 'reference' })), port);
  view.setSplit = (percent) => {
    view.split = Math.max(0, Math.min(100, percent));
    clip.style.clipPath = 'inset(0 ' + (100 - view.split) + '% 0 0)';
    divider.style.left = view.split + '%';
    divider.setAttribute('aria-valuenow', String(Math.round(view.split)));
    slider.setAttribute('data-split', String(Math.round(view.split * 10) / 10));
  };
  divider.addEventListener('pointerdown', (e) => {
    e.stopPropagation();
    e.preventDefault();
    divider.setPointerCapture(e.pointerId);
    const move = (m) => { const r = port.getBoundingClientRect(); view.setSplit((m.clientX - r.left) / r.width * 100); };
    const up = () => { divider.removeEventListener('pointermove', move); divider.removeEventListener('pointerup', up); };
    divider.addEventListener('pointermove', move);
    divider.addEventListener('pointerup', up);
  });
  divider.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      view.setSplit(view.split + (e.key === 'ArrowLeft' ? -5 : 5));
      e.preventDefault();
      e.stopPropagation();
    }
  });
  view.setSplit(view.split);
  return slider;
}

function viewportSize(view) {
  const port = view.stage.querySelector('.qa-viewport');
  return port ? { w: port.clientWidth, h: port.clientHeight } : { w: 0, h: 0 };
}

function fitView(view) {
  const port = viewportSize(view);
  const size = view.size;
  if (!size || !port.w || !port.h) return;
  const zoom = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, Math.min(port.w / size.w, port.h / size.h)));
  view.zoom = zoom;
  view.x = (port.w - size.w * zoom) / 2;
  view.y = (port.h - size.h * zoom) / 2;
  view.fitted = true;
  applyViewState(view);
}

function zoomAt(view, cx, cy, factor) {
  const zoom = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, view.zoom * factor));
  const k = zoom / view.zoom;
  view.x = cx - (cx - view.x) * k;
  view.y = cy - (cy - view.y) * k;
  view.zoom = zoom;
  view.fitted = true;
  applyViewState(view);
}

function zoomTo(view, zoom) {
  const port = viewportSize(view);
  zoomAt(view, port.w / 2, port.h / 2, zoom / view.zoom);
}

// Apply the view's one state to every pane: the same transform on every image, the state on
// every pane as data-zoom/data-x/data-y, and the full-resolution file once a preview is too coarse.
function applyViewState(view) {
  const transform = 'translate(' + view.x + 'px, ' + view.y + 'px) scale(' + view.zoom + ')';
  for (const node of view.stage.querySelectorAll('img.qa-pix')) {
    node.style.transform = transform;
    const preview = node.getAttribute('data-preview');
    if (preview && node.getAttribute('src') === preview && node.naturalWidth && node.style.width) {
      if (view.zoom * parseFloat(node.style.width) > node.naturalWidth * 1.01) node.setAttribute('src', node.getAttribute('data-full'));
    }
  }
  const zoom = String(Math.round(view.zoom * 10000) / 10000);
  const x = String(Math.round(view.x * 100) / 100);
  const y = String(Math.round(view.y * 100) / 100);
  for (const pane of view.stage.querySelectorAll('.qa-pane')) {
    pane.setAttribute('data-zoom', zoom);
    pane.setAttribute('data-x', x);
    pane.setAttribute('data-y', y);
  }
  view.box.classList.toggle('qa-magnified', view.zoom >= 1);
}

function viewKey(view, e) {
  const port = viewportSize(view);
  const step = 40;
  const actions = {
    '+': () => zoomAt(view, port.w / 2, port.h / 2, 1.5), '=': () => zoomAt(view, port.w / 2, port.h / 2, 1.5),
    '-': () => zoomAt(view, port.w / 2, port.h / 2, 1 / 1.5), '_': () => zoomAt(view, port.w / 2, port.h / 2, 1 / 1.5),
    '0': () => fitView(view), '1': () => zoomTo(view, 1),
    ArrowLeft: () => { view.x += step; applyViewState(view); }, ArrowRight: () => { view.x -= step; applyViewState(view); },
    ArrowUp: () => { view.y += step; applyViewState(view); }, ArrowDown: () => { view.y -= step; applyViewState(view); },
  };
  if (e.key === 'Escape' && view.box.classList.contains('qa-full')) {
    toggleFullscreen(view);
    e.preventDefault();
    e.stopPropagation();
    return;
  }
  const action = actions[e.key];
  if (!action || e.ctrlKey || e.metaKey || e.altKey) return;
  action();
  e.preventDefault();
}

function toggleFullscreen(view) {
  const box = view.box;
  const overlay = () => {
    const on = !box.classList.contains('qa-full');
    box.classList.toggle('qa-full', on);
    box.setAttribute('data-fullscreen', on ? '1' : '0');
    requestAnimationFrame(() => fitView(view));
  };
  if (document.fullscreenElement === box) {
    document.exitFullscreen().catch(() => {});
  } else if (box.classList.contains('qa-full')) {
    overlay();
  } else if (typeof box.requestFullscreen === 'function') {
    box.requestFullscreen().catch(overlay);
  } else {
    overlay();
  }
  view.stage.focus({ preventScroll: true });
}

// Read the pixel at (x, y) of the full-size image `node`; null when unreadable, with the reason
// kept on the node (a page opened from file:// may not read its own images in Chromium).
function pixelOf(node, x, y) {
  if (!node.complete || !node.naturalWidth) return null;
  const src = node.getAttribute('src');
  if (!node.qaPixels || node.qaPixels.src !== src) {
    node.qaPixels = { src: src, data: null, reason: '' };
    try {
      const canvas = document.createElement('canvas');
      canvas.width = node.naturalWidth;
      canvas.height = node.naturalHeight;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.drawImage(node, 0, 0);
      node.qaPixels.data = context.getImageData(0, 0, canvas.width, canvas.height);
    } catch (error) {
      node.qaPixels.reason = location.protocol === 'file:'
        ? 'the browser does not let a page opened from file:// read its images (serve the report folder over http to see them)'
        : 'the browser does not let the page read this image (' + text(error && error.name) + ')';
    }
  }
  const data = node.qaPixels.data;
  if (!data) return null;
  const full = parseFloat(node.style.width) || node.naturalWidth;
  const scale = node.naturalWidth / full;
  const px = Math.min(data.width - 1, Math.floor(x * scale));
  const py = Math.min(data.height - 1, Math.floor(y * scale));
  const at = (py * data.width + px) * 4;
  return Array.from(data.data.slice(at, at + 4));
}

function showPixel(view, cx, cy) {
  const size = view.size;
  if (!size) return;
  const x = Math.floor((cx - view.x) / view.zoom);
  const y = Math.floor((cy - view.y) / view.zoom);
  if (x < 0 || y < 0 || x >= size.w || y >= size.h) {
    view.pixel.textContent = 'outside the image';
    view.pixel.setAttribute('data-x', '');
    return;
  }
  const parts = ['x ' + x + ', y ' + y];
  let reason = '';
  for (const id of ['new', 'reference']) {
    const node = view.stage.querySelector('img.qa-pix[data-layer="' + id + '"]');
    if (!node) continue;
    const value = pixelOf(node, x, y);
    if (value) parts.push(id + ' ' + value.slice(0, 3).join(' ') + (value[3] !== 255 ? ' \u03b1' + value[3] : '') + (node.getAttribute('src') === node.getAttribute('data-preview') ? ' (preview)' : ''));
    else if (node.qaPixels && node.qaPixels.reason) reason = node.qaPixels.reason;
  }
  if (reason) parts.push('pixel values unavailable: ' + reason);
  view.pixel.textContent = parts.join(' \u00b7 ');
  view.pixel.setAttribute('data-x', String(x));
  view.pixel.setAttribute('data-y', String(y));
}

// ---- the runs table's thumbnails --------------------------------------------------------------
let runIndexes = null;

function thumbnailColumn() {
  return {
    id: 'thumbnail', label: 'Image', cls: 'qa-thumb-cell', value: () => null,
    cell: (td, r) => {
      if (!runIndexes) runIndexes = new Map(runs.map((run, i) => [run, i]));
      const extra = extras[runIndexes.get(r)];
      if (extra && typeof extra.thumbnail === 'string') {
        td.appendChild(el('img', { class: 'qa-thumb', src: extra.thumbnail, alt: 'thumbnail of ' + text(r.key), loading: 'lazy', decoding: 'async' }));
      }
    },
  };
}

// ---- previous / next run in the detail view -----------------------------------------------------
function detailNav(index) {
  const position = state.view.indexOf(index);
  const at = position < 0 ? 'not in the table\u2019s current view' : (position + 1) + ' of ' + state.view.length;
  return el('div', { class: 'qa-nav' },
    el('button', { type: 'button', id: 'qa-prev', title: 'previous run ([ or k)', disabled: position === 0 || !state.view.length, onclick: () => stepDetail(-1) }, '\u2039 previous'),
    el('span', { id: 'qa-position', class: 'muted', text: at }),
    el('button', { type: 'button', id: 'qa-next', title: 'next run (] or j)', disabled: position === state.view.length - 1 || !state.view.length, onclick: () => stepDetail(1) }, 'next \u203a'));
}

function stepDetail(delta) {
  const current = Number(refs.detail.getAttribute('data-index'));
  const position = state.view.indexOf(current);
  const target = position < 0 ? state.view[0] : state.view[position + delta];
  if (target === undefined) return;
  openDetail(target);
  // The runs table, virtualized, follows: the run shown is in sight when the detail closes.
  revealRow(state.view.indexOf(target));
  const button = document.getElementById(delta < 0 ? 'qa-prev' : 'qa-next');
  if (button && !button.disabled) button.focus();
}

document.addEventListener('keydown', (e) => {
  if (!refs.detail || refs.detail.hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target;
  if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) return;
  if (e.key === '[' || e.key === 'k') { stepDetail(-1); e.preventDefault(); }
  else if (e.key === ']' || e.key === 'j') { stepDetail(1); e.preventDefault(); }
});
