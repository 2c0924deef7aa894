// Write a short WebM video (VP8, 48 frames of a moving square in `colour`) recorded by headless
// Chromium's MediaRecorder from a canvas: node make_video.mjs OUT.webm COLOUR. The viewers
// browser test gives its project two such videos as inputs (no video encoder is installed).
import fs from 'node:fs';
import { blockNetwork, launchChromium } from './chromium.mjs';

const [out, colour] = process.argv.slice(2);
if (!out || !/^#[0-9a-f]{6}$/.test(colour || '')) {
  console.error('usage: node make_video.mjs OUT.webm #rrggbb');
  process.exit(2);
}
const { context, close } = await launchChromium();
try {
  await blockNetwork(context);
  const page = await context.newPage();
  await page.setContent('<canvas width="64" height="48"></canvas>');
  const base64 = await page.evaluate((fill) => new Promise((resolve, reject) => {
    const canvas = document.querySelector('canvas');
    const context2d = canvas.getContext('2d');
    const recorder = new MediaRecorder(canvas.captureStream(24), { mimeType: 'video/webm;codecs=vp8' });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onerror = (e) => reject(new Error(String(e.error)));
    recorder.onstop = () => new Blob(chunks, { type: 'video/webm' }).arrayBuffer().then((buffer) => {
      let text = '';
      for (const byte of new Uint8Array(buffer)) text += String.fromCharCode(byte);
      resolve(btoa(text));
    });
    let frame = 0;
    const draw = () => {
      context2d.fillStyle = '#000';
      context2d.fillRect(0, 0, 64, 48);
      context2d.fillStyle = fill;
      context2d.fillRect(frame % 48, 16, 16, 16);
      if (++frame === 48) { recorder.stop(); return; }
      setTimeout(draw, 1000 / 24);
    };
    recorder.start();
    draw();
  }), colour);
  fs.writeFileSync(out, Buffer.from(base64, 'base64'));
} finally {
  await close();
}
