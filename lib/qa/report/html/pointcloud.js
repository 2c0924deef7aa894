// qa-report page: the point cloud viewer, the reference and the new cloud side by side on 2D
// canvases (no WebGL: the page must draw in a headless browser without GPU), drawn with one
// shared camera: drag either to orbit, the wheel to zoom, double-click to reset. Points come from
// the payload of lib/qa/report/output_payload.hpp ("q": 16-bit coordinates within "min" and
// "scale"); colours from the file, else from the height.

const CLOUD_W = 420;
const CLOUD_H = 320;

function decodeCloud(points) {
  if (!points || !Array.isArray(points.q)) return null;
  const q = points.q;
  const min = Array.isArray(points.min) ? points.min.map(Number) : [0, 0, 0];
  const scale = Array.isArray(points.scale) ? points.scale.map(Number) : [0, 0, 0];
  const count = Math.floor(q.length / 3);
  const xyz = new Float32Array(count * 3);
  for (let i = 0; i < count * 3; i++) xyz[i] = min[i % 3] + Number(q[i]) * scale[i % 3];
  const colors = Array.isArray(points.colors) && points.colors.length >= count * 3 ? Uint8Array.from(points.colors.slice(0, count * 3)) : null;
  return { count, xyz, colors, total: Number(points.total) || count };
}

function cloudBounds(clouds) {
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  for (const cloud of clouds) {
    for (let i = 0; i < cloud.count * 3; i++) {
      low[i % 3] = Math.min(low[i % 3], cloud.xyz[i]);
      high[i % 3] = Math.max(high[i % 3], cloud.xyz[i]);
    }
  }
  if (!Number.isFinite(low[0])) return { center: [0, 0, 0], radius: 1, low: [0, 0, 0], high: [1, 1, 1] };
  const center = low.map((v, k) => (v + high[k]) / 2);
  const radius = Math.max(1e-9, Math.hypot(high[0] - low[0], high[1] - low[1], high[2] - low[2]) / 2);
  return { center, radius, low, high };
}

function drawCloud(canvas, cloud, bounds, camera) {
  const context = canvas.getContext('2d');
  const width = canvas.width;
  const height = canvas.height;
  const image = context.createImageData(width, height);
  const pixels = image.data;
  const depth = new Float32Array(width * height).fill(Infinity);
  const [cx, cy, cz] = bounds.center;
  const cosYaw = Math.cos(camera.yaw);
  const sinYaw = Math.sin(camera.yaw);
  const cosPitch = Math.cos(camera.pitch);
  const sinPitch = Math.sin(camera.pitch);
  const scale = camera.zoom * Math.min(width, height) / (2 * bounds.radius);
  const spanZ = Math.max(1e-9, bounds.high[2] - bounds.low[2]);
  for (let i = 0; i < cloud.count; i++) {
    const x = cloud.xyz[3 * i] - cx;
    const y = cloud.xyz[3 * i + 1] - cy;
    const z = cloud.xyz[3 * i + 2] - cz;
    // Turn around the vertical axis (z up), then tilt; look along +y.
    const x1 = cosYaw * x - sinYaw * y;
    const y1 = sinYaw * x + cosYaw * y;
    const y2 = cosPitch * y1 - sinPitch * z;
    const z2 = sinPitch * y1 + cosPitch * z;
    const px = Math.round(width / 2 + x1 * scale);
    const py = Math.round(height / 2 - z2 * scale);
    if (px < 0 || py < 0 || px >= width - 1 || py >= height - 1) continue;
    let r;
    let g;
    let b;
    if (cloud.colors) {
      r = cloud.colors[3 * i]; g = cloud.colors[3 * i + 1]; b = cloud.colors[3 * i + 2];
    } else {
      const t = (cloud.xyz[3 * i + 2] - bounds.low[2]) / spanZ;
      r = Math.round(40 + 200 * t); g = Math.round(90 + 80 * (1 - Math.abs(2 * t - 1))); b = Math.round(240 - 200 * t);
    }
    for (const offset of [0, 1, width, width + 1]) {
      const p = py * width + px + offset;
      if (y2 >= depth[p]) continue;
      depth[p] = y2;
      pixels[4 * p] = r; pixels[4 * p + 1] = g; pixels[4 * p + 2] = b; pixels[4 * p + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
}

function pointCloudPair(reference, current) {
  const sides = [['reference', decodeCloud(reference)], ['new', decodeCloud(current)]].filter((s) => s[1]);
  const bounds = cloudBounds(sides.map((s) => s[1]));
  const initial = { yaw: -0.6, pitch: 0.5, zoom: 1 };
  const camera = Object.assign({}, initial);
  const box = el('div', { class: 'qa-side qa-cloud' });
  const canvases = [];
  const redraw = () => {
    for (const [canvas, cloud] of canvases) drawCloud(canvas, cloud, bounds, camera);
    box.setAttribute('data-camera', [camera.yaw, camera.pitch, camera.zoom].map((v) => v.toFixed(4)).join(' '));
  };
  for (const [side, cloud] of sides) {
    const canvas = el('canvas', { width: CLOUD_W, height: CLOUD_H, class: 'qa-cloud-canvas', 'data-side': side, 'aria-label': side + ' point cloud: drag to orbit, wheel to zoom' });
    canvases.push([canvas, cloud]);
    let drag = null;
    canvas.addEventListener('pointerdown', (e) => { drag = [e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', (e) => {
      if (!drag) return;
      camera.yaw += (e.clientX - drag[0]) * 0.01;
      camera.pitch = Math.max(-1.55, Math.min(1.55, camera.pitch + (e.clientY - drag[1]) * 0.01));
      drag = [e.clientX, e.clientY];
      redraw();
    });
    canvas.addEventListener('pointerup', () => { drag = null; });
    canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      camera.zoom = Math.max(0.05, Math.min(100, camera.zoom * Math.exp(-e.deltaY * 0.001)));
      redraw();
    }, { passive: false });
    canvas.addEventListener('dblclick', () => { Object.assign(camera, initial); redraw(); });
    const shown = cloud.count < cloud.total ? cloud.count + ' of ' + cloud.total + ' points' : cloud.count + ' points';
    box.appendChild(el('figure', null, canvas, el('figcaption', { text: side + ', ' + shown })));
  }
  redraw();
  return box;
}
