// qa-report page: viewers of the output files that are not images (a run's extras.views, written
// by lib/qa/report/html_outputs.cpp), each comparing the new run's file with the reference run's:
// text and logs as a side-by-side line diff, JSON as a table of flattened paths, CSV/TSV as a
// table, HTML in a sandboxed iframe (srcdoc, sandbox="": no script runs, and the frame inherits
// the page's Content Security Policy), videos played together, plotly figures with plotly.js
// (when the report copied it) and point clouds (pointcloud.js). Their data are data assets,
// loaded when the run is opened (assets.js). Every string from a file is set as text.

const VIEW_CONTEXT = 3;       // unchanged lines shown around a change
const VIEW_DIFF_ROWS = 3000;  // rows of a text diff rendered at most
const VIEW_DIFF_CELLS = 4e6;  // beyond this many line pairs, a changed block is not aligned
const VIEW_TABLE_ROWS = 2000; // rows of a JSON or CSV table rendered at most

function outputViews(extra) {
  const views = extra && Array.isArray(extra.views) ? extra.views : [];
  if (!views.length) return null;
  return el('div', { id: 'qa-outputs' }, ...views.map(outputView));
}

function outputView(view) {
  const path = text(view.path);
  const kind = text(view.kind);
  const box = el('div', { class: 'qa-output', 'data-path': path, 'data-kind': kind, 'data-state': 'loading' });
  // A visualization of qaboard.yaml names the file: its name leads, the path follows.
  const title = typeof view.name === 'string' && view.name ? [view.name, ' ', el('span', { class: 'muted mono', text: path })] : [path];
  box.appendChild(el('h4', null, ...title, ' ', el('span', { class: 'muted', text: '(' + kind.replace('_', ' ') + ', ' + text(view.change) + ')' })));
  if (typeof view.note === 'string') box.appendChild(el('div', { class: 'qa-note', text: view.note }));
  const body = el('div', { class: 'qa-output-body' }, el('span', { class: 'muted', text: 'loading\u2026' }));
  box.appendChild(body);
  const done = (state) => box.setAttribute('data-state', state);
  if (kind === 'video') {
    clear(body);
    body.appendChild(videoPair(view));
    done('ready');
    return box;
  }
  const load = (url) => (typeof url === 'string' ? loadDataAsset(url) : Promise.resolve(null));
  Promise.all([load(view.reference), load(view.new)]).then(([reference, current]) => {
    clear(body);
    for (const [side, payload] of [['reference', reference], ['new', current]]) {
      const note = payloadNote(side, payload);
      if (note) body.appendChild(el('div', { class: 'qa-note', text: note }));
    }
    return renderView(kind, view, reference, current, body);
  }).then(() => done('ready'), (error) => {
    clear(body);
    body.appendChild(el('div', { class: 'qa-note', text: 'cannot show ' + path + ': ' + text(error && error.message) }));
    done('error');
  });
  return box;
}

function payloadNote(side, payload) {
  if (!payload) return null;
  const parts = [];
  if (typeof payload.note === 'string') parts.push(payload.note);
  if (payload.truncated) parts.push('only its beginning is shown (the file has ' + text(payload.size) + ' bytes; the report caps what it embeds)');
  return parts.length ? side + ': ' + parts.join('; ') : null;
}

function renderView(kind, view, reference, current, body) {
  const has = (p, field) => p && p[field] !== undefined;
  if ((kind === 'json' || kind === 'plotly') && (has(reference, 'json') || has(current, 'json'))) {
    if (kind === 'plotly' && typeof view.library === 'string') return plotlyPair(view, reference, current, body);
    body.appendChild(jsonTable(reference && reference.json, current && current.json, has(reference, 'json'), has(current, 'json')));
    return null;
  }
  if (kind === 'csv' && (has(reference, 'rows') || has(current, 'rows'))) {
    body.appendChild(csvTable(reference && reference.rows, current && current.rows));
    return null;
  }
  if (kind === 'html' && (has(reference, 'html') || has(current, 'html'))) {
    body.appendChild(el('div', { class: 'qa-side' },
      has(reference, 'html') ? htmlFrame(reference.html, 'reference ' + text(view.path), 'reference') : null,
      has(current, 'html') ? htmlFrame(current.html, 'new ' + text(view.path), 'new') : null));
    return null;
  }
  if (kind === 'point_cloud' && (has(reference, 'points') || has(current, 'points'))) {
    body.appendChild(pointCloudPair(reference && reference.points, current && current.points));
    return null;
  }
  body.appendChild(textDiff(has(reference, 'text') ? String(reference.text) : null, has(current, 'text') ? String(current.text) : null));
  return null;
}

// Text: a side-by-side line diff, the reference on the left.
function splitLines(value) {
  if (value === null) return [];
  const lines = value.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// Return the operations turning `a` into `b`: [' ', i, j] kept, ['-', i] removed, ['+', j] added.
function lineDiff(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const ops = [];
  for (let i = 0; i < start; i++) ops.push([' ', i, i]);
  const n = endA - start;
  const m = endB - start;
  if (n * m > VIEW_DIFF_CELLS) {
    for (let i = start; i < endA; i++) ops.push(['-', i]);
    for (let j = start; j < endB; j++) ops.push(['+', j]);
  } else if (n || m) {
    // Longest common subsequence of the middle, from the end.
    const w = m + 1;
    const lcs = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * w + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) { ops.push([' ', start + i, start + j]); i++; j++; }
      else if (j < m && (i === n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) { ops.push(['+', start + j]); j++; }
      else { ops.push(['-', start + i]); i++; }
    }
  }
  for (let k = 0; k < a.length - endA; k++) ops.push([' ', endA + k, endB + k]);
  return ops;
}

// Return the rows of the side-by-side view: [oldIndex|null, newIndex|null, changed].
function diffRows(ops) {
  const rows = [];
  let removed = [];
  let added = [];
  const flush = () => {
    for (let k = 0; k < Math.max(removed.length, added.length); k++) {
      rows.push([k < removed.length ? removed[k] : null, k < added.length ? added[k] : null, true]);
    }
    removed = [];
    added = [];
  };
  for (const op of ops) {
    if (op[0] === '-') removed.push(op[1]);
    else if (op[0] === '+') added.push(op[1]);
    else { flush(); rows.push([op[1], op[2], false]); }
  }
  flush();
  return rows;
}

function textDiff(reference, current) {
  const a = splitLines(reference);
  const b = splitLines(current);
  const rows = diffRows(lineDiff(a, b));
  const body = el('tbody');
  const changed = rows.map((r) => r[2]);
  const near = new Uint8Array(rows.length);
  changed.forEach((c, k) => { if (c) for (let d = Math.max(0, k - VIEW_CONTEXT); d <= Math.min(rows.length - 1, k + VIEW_CONTEXT); d++) near[d] = 1; });
  let shown = 0;
  let k = 0;
  const cell = (lines, index, cls) => [el('td', { class: 'qa-ln', text: index === null ? '' : String(index + 1) }),
    el('td', { class: 'qa-line ' + (index === null ? 'qa-none' : cls), text: index === null ? '' : lines[index] })];
  while (k < rows.length && shown < VIEW_DIFF_ROWS) {
    if (!near[k] && rows.length > 2 * VIEW_CONTEXT + 1) {
      let end = k;
      while (end < rows.length && !near[end]) end++;
      body.appendChild(el('tr', { class: 'qa-collapsed' }, el('td', { colspan: 4, text: '\u22ef ' + (end - k) + ' unchanged line' + (end - k === 1 ? '' : 's') })));
      k = end;
      continue;
    }
    const [i, j, isChanged] = rows[k];
    body.appendChild(el('tr', { class: isChanged ? 'qa-changed' : null }, ...cell(a, i, isChanged ? 'qa-del' : ''), ...cell(b, j, isChanged ? 'qa-add' : '')));
    shown++;
    k++;
  }
  const box = el('div', { class: 'qa-diff-box' });
  if (reference === null || current === null) box.appendChild(el('div', { class: 'muted', text: reference === null ? 'no reference file' : 'no new file' }));
  else if (!changed.some(Boolean)) box.appendChild(el('div', { class: 'muted', text: 'no line differs' }));
  const cols = el('colgroup', null, el('col', { class: 'qa-ln-col' }), el('col'), el('col', { class: 'qa-ln-col' }), el('col'));
  box.appendChild(el('table', { class: 'qa-diff-table' }, cols, el('thead', null, el('tr', null, el('th', { colspan: 2, text: 'reference' }), el('th', { colspan: 2, text: 'new' }))), body));
  if (k < rows.length) box.appendChild(el('div', { class: 'qa-note', text: 'the diff is cut after ' + VIEW_DIFF_ROWS + ' rows' }));
  return box;
}

// JSON: one row per leaf path.
function flattenJson(value, path, out) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => ['[' + i + ']', v]) : Object.entries(value).map(([k, v]) => [/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? '.' + k : '[' + JSON.stringify(k) + ']', v]);
    if (!entries.length) out.set(path || '$', Array.isArray(value) ? '[]' : '{}');
    for (const [step, v] of entries) flattenJson(v, (path || '$') + step, out);
  } else {
    out.set(path || '$', JSON.stringify(value));
  }
  return out;
}

function jsonTable(reference, current, hasReference, hasCurrent) {
  const a = hasReference ? flattenJson(reference, '', new Map()) : new Map();
  const b = hasCurrent ? flattenJson(current, '', new Map()) : new Map();
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const body = el('tbody');
  for (const path of paths.slice(0, VIEW_TABLE_ROWS)) {
    const changed = hasReference && hasCurrent && a.get(path) !== b.get(path);
    const cls = changed ? 'qa-cell-changed' : null;
    body.appendChild(el('tr', { class: changed ? 'qa-changed' : null, 'data-path': path },
      el('td', { class: 'mono', text: path }), el('td', { class: 'mono ' + (cls || ''), text: a.has(path) ? a.get(path) : '' }),
      el('td', { class: 'mono ' + (cls || ''), text: b.has(path) ? b.get(path) : '' })));
  }
  const box = el('div', { class: 'qa-table-box' }, el('table', { class: 'qa-json-table' },
    el('thead', null, el('tr', null, ...['path', 'reference', 'new'].map((h) => el('th', { text: h })))), body));
  if (paths.length > VIEW_TABLE_ROWS) box.appendChild(el('div', { class: 'qa-note', text: 'showing ' + VIEW_TABLE_ROWS + ' of ' + paths.length + ' paths' }));
  return box;
}

// CSV: the new file's cells, the changed ones marked with the reference's value.
function csvTable(reference, current) {
  const a = Array.isArray(reference) ? reference : null;
  const b = Array.isArray(current) ? current : null;
  const main = b || a || [];
  const header = main[0] || [];
  const body = el('tbody');
  const count = Math.max(a ? a.length : 0, b ? b.length : 0);
  for (let r = 1; r < Math.min(count, VIEW_TABLE_ROWS); r++) {
    const ra = a ? a[r] : null;
    const rb = b ? b[r] : null;
    const tr = el('tr', { class: a && b && (!ra || !rb) ? (rb ? 'qa-row-new' : 'qa-row-missing') : null });
    const width = Math.max(ra ? ra.length : 0, rb ? rb.length : 0);
    for (let c = 0; c < width; c++) {
      const va = ra && c < ra.length ? text(ra[c]) : null;
      const vb = rb && c < rb.length ? text(rb[c]) : null;
      const changed = a && b && ra && rb && va !== vb;
      const td = el('td', { class: changed ? 'qa-cell-changed' : null, title: changed ? 'reference: ' + (va === null ? '(none)' : va) : null, text: text(rb ? vb : va) });
      if (changed) td.appendChild(el('span', { class: 'qa-was', text: va === null ? '(none)' : va }));
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  const box = el('div', { class: 'qa-table-box' }, el('table', { class: 'qa-csv-table' },
    el('thead', null, el('tr', null, ...header.map((h) => el('th', { text: text(h) })))), body));
  if (count > VIEW_TABLE_ROWS) box.appendChild(el('div', { class: 'qa-note', text: 'showing ' + (VIEW_TABLE_ROWS - 1) + ' of ' + (count - 1) + ' rows' }));
  return box;
}

// HTML: the file's text as the document of an iframe that may run nothing.
function htmlFrame(html, title, caption) {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  frame.setAttribute('title', title);
  frame.setAttribute('class', 'qa-html-frame');
  frame.setAttribute('srcdoc', String(html));
  return el('figure', null, frame, el('figcaption', { text: caption }));
}

// Video: both players follow whichever one the reviewer drives.
function videoPair(view) {
  const players = [];
  const box = el('div', { class: 'qa-side' });
  for (const side of ['reference', 'new']) {
    const url = assetUrl(view[side]);
    if (!url) continue;
    const video = el('video', { src: url, controls: '', muted: '', preload: 'metadata', playsinline: '', class: 'qa-video', 'data-side': side });
    video.muted = true;
    players.push(video);
    box.appendChild(el('figure', null, video, el('figcaption', { text: side })));
  }
  // A command given to the other player fires that player's event too: it is skipped once, so
  // that players do not echo each other. Only commands that change a player's state are marked.
  const skip = new Map(players.map((v) => [v, new Set()]));
  const drive = (source, type, action) => {
    const marks = skip.get(source);
    if (marks.has(type)) { marks.delete(type); return; }
    for (const other of players) if (other !== source) action(other, skip.get(other));
  };
  for (const video of players) {
    video.addEventListener('play', () => drive(video, 'play', (o, marks) => {
      if (Math.abs(o.currentTime - video.currentTime) > 0.04) { marks.add('seeked'); o.currentTime = video.currentTime; }
      if (o.paused) { marks.add('play'); o.play().catch(() => marks.delete('play')); }
    }));
    video.addEventListener('pause', () => drive(video, 'pause', (o, marks) => { if (!o.paused) { marks.add('pause'); o.pause(); } }));
    video.addEventListener('seeked', () => drive(video, 'seeked', (o, marks) => {
      if (Math.abs(o.currentTime - video.currentTime) > 0.04) { marks.add('seeked'); o.currentTime = video.currentTime; }
    }));
    video.addEventListener('ratechange', () => drive(video, 'ratechange', (o, marks) => {
      if (o.playbackRate !== video.playbackRate) { marks.add('ratechange'); o.playbackRate = video.playbackRate; }
    }));
  }
  return box;
}

// plotly: each side drawn by plotly.js, which the report copied beside the page.
function plotlyPair(view, reference, current, body) {
  return loadScript(view.library).then(() => {
    const plotly = window.Plotly;
    if (!plotly || typeof plotly.newPlot !== 'function') throw new Error('plotly.js did not load');
    const box = el('div', { class: 'qa-side' });
    body.appendChild(box);
    const plots = [];
    for (const [side, payload] of [['reference', reference], ['new', current]]) {
      if (!payload || !payload.json || !Array.isArray(payload.json.data)) continue;
      const target = el('div', { class: 'qa-plotly', 'data-side': side });
      box.appendChild(el('figure', null, target, el('figcaption', { text: side })));
      const figure = payload.json;
      plots.push(plotly.newPlot(target, figure.data, Object.assign({ autosize: true }, figure.layout || {}), { displayModeBar: false, responsive: false }));
    }
    return Promise.all(plots);
  }, () => {
    body.appendChild(el('div', { class: 'qa-note', text: 'plotly.js could not be loaded: the figure is shown as a table' }));
    body.appendChild(jsonTable(reference && reference.json, current && current.json, !!reference, !!current));
  });
}
