#!/usr/bin/env node
// Time how long a qa-report HTML page takes to render in headless Chromium.
//
//   node bench/report-load.mjs REPORT.html [--repeat N] [--interact]
//
// Loads the page from file:// N times (default 3), each in a fresh Chromium profile with every
// non-file request aborted, and prints per load: the time from navigation start until report.js
// marked the first render done (`<html data-qa-ready="1">`: summary, aggregates, first table page,
// charts), the time its script took, and the wall time seen from here (page.goto to ready); then
// the median of the first. With --interact, each load then measures how the page answers once
// ready: the longest task the main thread ran during the load (PerformanceObserver 'longtask'),
// the time to show the rows of the middle of the table after a scroll, and the time to filter the
// whole table by a text. Needs Debian's /usr/bin/chromium and tests/browser/node_modules
// (scripts/bootstrap). Figures are printed, never asserted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { blockNetwork, launchChromium } = await import(pathToFileURL(path.join(here, '..', 'tests', 'browser', 'chromium.mjs')).href);

const args = process.argv.slice(2);
const htmlPath = args.find((arg) => !arg.startsWith('--'));
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 3;
const interact = args.includes('--interact');
if (!htmlPath || !fs.existsSync(htmlPath) || !(repeat >= 1)) {
  console.error('usage: node bench/report-load.mjs REPORT.html [--repeat N] [--interact]');
  process.exit(2);
}

const sizeMiB = fs.statSync(htmlPath).size / (1024 * 1024);
const readyTimes = [];
let lastAnswers = '';
for (let i = 0; i < repeat; i++) {
  const { context, close } = await launchChromium();
  try {
    const attempted = await blockNetwork(context);
    const page = context.pages()[0] || (await context.newPage());
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => {
      window.__qaLongest = 0;
      try {
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) window.__qaLongest = Math.max(window.__qaLongest, entry.duration);
        }).observe({ type: 'longtask', buffered: true });
      } catch (e) { /* no long task timing: reported as 0 */ }
    });
    const started = Date.now();
    await page.goto(pathToFileURL(path.resolve(htmlPath)).href, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.documentElement.dataset.qaReady === '1', null, { timeout: 60000 });
    const wall = Date.now() - started;
    const marks = await page.evaluate(() => ({
      readyAt: Number(document.documentElement.dataset.qaReadyAt),
      render: Number(document.documentElement.dataset.qaRenderMs),
      runs: JSON.parse(document.getElementById('qa-data').textContent).report.runs.length,
    }));
    readyTimes.push(marks.readyAt);
    let answers = '';
    lastAnswers = '';
    if (interact) {
      const probe = await page.evaluate(async () => {
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        const scroller = document.getElementById('qa-runs-scroll');
        const rows = Number(document.getElementById('qa-runs').getAttribute('aria-rowcount')) - 1;
        let t = performance.now();
        scroller.scrollTop = scroller.scrollHeight / 2;
        const middle = Math.floor(rows / 2);
        while (!document.querySelector(`#qa-runs tbody tr[aria-rowindex="${middle}"]`)) await frame();
        const scroll = performance.now() - t;
        const filter = document.getElementById('qa-filter');
        t = performance.now();
        filter.value = '7';
        filter.dispatchEvent(new Event('input'));
        await frame();
        const filtered = performance.now() - t;
        return { longest: window.__qaLongest, scroll, filtered, count: document.getElementById('qa-count').textContent };
      });
      answers = `; longest task ${Math.round(probe.longest)} ms, scroll to the middle ${Math.round(probe.scroll)} ms, ` +
        `filter ${Math.round(probe.filtered)} ms (${probe.count})`;
      lastAnswers = answers.slice(2);
    }
    console.log(`load ${i + 1}: ${marks.runs} runs, ${sizeMiB.toFixed(1)} MiB: ready ${marks.readyAt} ms after navigation ` +
      `(script ${marks.render} ms), wall ${wall} ms` + answers +
      (errors.length ? `, page errors: ${errors.join('; ')}` : '') +
      (attempted.length ? `, blocked requests: ${attempted.length}` : ''));
  } finally {
    await close();
  }
}
readyTimes.sort((a, b) => a - b);
console.log(`report-load: median ready ${readyTimes[Math.floor(readyTimes.length / 2)]} ms over ${repeat} loads` +
  (interact ? `, then ${lastAnswers}` : ''));
