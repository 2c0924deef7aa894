// Browser test of the tuning view of a qa-report HTML page: node tuning_test.mjs REPORT.html [--many]
//
// The page must come from tests/browser/tuning_browser_test.cpp: the example project's `smoke`
// batch run with qa-batch --tuning-search (strength x sigma x a parameter named and valued as
// markup, plus a point whose runs fail), compared with the plain batch at the reference.
// Opens it from file:// in headless Chromium with every other request aborted and checks, against
// the points recomputed here from the embedded qa.report/1 runs: the section follows the summary;
// a ranking row per point, ordered by the selected metric's mean in its direction
// (smaller_is_better), the failed point last, the reference column the plain runs' mean; another
// metric reorders it; a chart per varying parameter (log, linear, category axes) with a point
// per point that has a value and the best ringed; clicking a chart point or a ranking row filters
// the runs table to exactly that point's runs; markup in parameter names and values stays text;
// no console error, no dialog, no request off file://. With --many, a page of 2,501 points (two
// numeric parameters, two inputs, written by the library): 50 ranking rows a page, the next page
// goes on in order, the point with a value on one input only is ranked after the others, each
// chart draws an even sample with the best ringed and says so, a row still filters the runs.
// Exit 0 when all hold, 1 with the reason.
import { pathToFileURL } from 'node:url';
import { blockNetwork, launchChromium } from './chromium.mjs';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_VALUES = ['<img src=x onerror=alert(1)>', '<script>window.pwned=1</script>'];

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

// The points of the report's runs: one per params object among the runs this commit has.
function expectedPoints(report) {
  const points = new Map();
  report.runs.forEach((run, index) => {
    if (run.status === null) return;
    const key = JSON.stringify(run.params);
    if (!points.has(key)) points.set(key, { params: run.params, runs: [] });
    points.get(key).runs.push(index);
  });
  return [...points.values()];
}

// Each point's mean of `metric` over its inputs (one run per input here), null without values.
function pointMean(report, point, metric) {
  const values = point.runs.map((i) => report.runs[i].metrics[metric]).filter((mc) => mc && typeof mc.value === 'number').map((mc) => mc.value);
  return values.length ? mean(values) : null;
}

async function rankingRows(page) {
  return page.$$eval('#qa-tuning-table tbody tr', (rows) => rows.map((row) => {
    const cell = (col) => row.querySelector(`td[data-col="${col}"]`);
    const value = (col) => (cell(col) && cell(col).hasAttribute('data-value') ? Number(cell(col).getAttribute('data-value')) : null);
    return {
      point: row.getAttribute('data-point'), params: row.getAttribute('data-params'), best: row.classList.contains('qa-best'),
      mean: value('mean'), reference: value('reference'), runs: Number(cell('runs').textContent), failed: Number(cell('failed').textContent),
      cells: [...row.querySelectorAll('td[data-col="param"]')].map((td) => td.textContent),
    };
  }));
}

async function shownRuns(page) {
  return page.$$eval('#qa-runs tbody tr[data-index]', (rows) => rows.map((row) => Number(row.getAttribute('data-index'))).sort((a, b) => a - b));
}

// Check the ranking against `metric`: the means in order, each row's mean its point's.
async function checkRanking(page, report, points, metric) {
  const def = report.metrics.find((m) => m.name === metric);
  const rows = await rankingRows(page);
  check(rows.length === points.length, `a ranking row per point: ${rows.length} rows, ${points.length} points`);
  const byParams = new Map(points.map((p) => [JSON.stringify(p.params), p]));
  for (const row of rows) {
    const point = byParams.get(row.params);
    check(point, `a row of an unknown point: ${row.params}`);
    const want = pointMean(report, point, metric);
    check(want === null ? row.mean === null : close(row.mean, want), `the ${metric} mean of ${row.params}: ${row.mean}, want ${want}`);
    check(row.runs === point.runs.length, `the runs of ${row.params}: ${row.runs}`);
  }
  const means = rows.map((r) => r.mean);
  const valued = means.filter((v) => v !== null);
  check(means.slice(0, valued.length).every((v) => v !== null), `the points without a ${metric} come last: ${means}`);
  const sorted = [...valued].sort((a, b) => (def.smaller_is_better ? a - b : b - a));
  check(JSON.stringify(valued) === JSON.stringify(sorted), `ranked by ${metric}, ${def.smaller_is_better ? 'smallest' : 'largest'} first: ${valued}`);
  check(rows[0].best && rows.filter((r) => r.best).length === 1, 'the first row alone is marked best');
  return rows;
}

async function checkMany(page, report) {
  const points = expectedPoints(report);
  check(points.length === 2501, `2,501 points, found ${points.length}`);
  const first = await checkRankingPage(page, 50);
  check((await page.textContent('#qa-tuning .qa-pager span')).includes('1\u201350 of 2501'), 'the pager says which points are shown');
  await page.click('#qa-tuning .qa-pager button[data-page="next"]');
  const second = await checkRankingPage(page, 50);
  check(second[0].rank === 51 && second[0].mean <= first[first.length - 1].mean, `page 2 goes on from page 1: ${JSON.stringify(second[0])}`);
  const complete = points.filter((p) => p.runs.every((i) => report.runs[i].status === 'ok'));
  check(complete.length === 2500, 'one point failed on an input');
  const all = complete.map((p) => pointMean(report, p, 'psnr')).sort((a, b) => b - a);
  check(close(first[0].mean, all[0]) && close(second[49].mean, all[99]), 'the pages hold the best 100 points in order');
  // The point with the highest mean, but on one input of two, comes after every complete one.
  await page.click('#qa-tuning .qa-pager button[data-page="last"]');
  const last = await page.$eval('#qa-tuning-table tbody tr:last-child', (row) => ({
    rank: Number(row.getAttribute('data-rank')), params: row.getAttribute('data-params'),
    muted: row.querySelector('td[data-col="mean"]').classList.contains('muted'), failed: row.querySelector('td[data-col="failed"]').textContent,
  }));
  check(last.rank === 2501 && JSON.parse(last.params).a === 0.41 && last.muted && last.failed === '1', `the partial point is ranked last: ${JSON.stringify(last)}`);
  await page.click('#qa-tuning .qa-pager button[data-page="first"]');
  for (const name of ['a', 'b']) {
    const chart = `#qa-tuning svg[data-param="${name}"]`;
    const circles = await page.locator(chart + ' circle').count();
    check(circles > 1000 && circles <= 2001, `chart ${name} draws an even sample: ${circles} points`);
    check(await page.locator(chart + ' circle.best').count() === 1, `the best point is ringed in chart ${name}`);
    check((await page.textContent(`#qa-tuning figure:has(svg[data-param="${name}"]) figcaption`)).includes(' of 2501 points drawn'), `chart ${name} says it is sampled`);
  }
  await page.click('#qa-tuning-table tbody tr >> nth=0');
  check((await shownRuns(page)).length === 2, 'a row shows its point\'s 2 runs');
}

async function checkRankingPage(page, count) {
  const rows = await page.$$eval('#qa-tuning-table tbody tr', (nodes) => nodes.map((row) => ({
    rank: Number(row.getAttribute('data-rank')), mean: Number(row.querySelector('td[data-col="mean"]').getAttribute('data-value')),
  })));
  check(rows.length === count, `${count} ranking rows a page, found ${rows.length}`);
  check(rows.every((r, i) => i === 0 || r.mean <= rows[i - 1].mean), 'the page is in order');
  return rows;
}

async function run(htmlPath, many) {
  const started = Date.now();
  const { context, close: closeBrowser } = await launchChromium();
  const problems = [];
  const dialogs = [];
  try {
    const attempted = await blockNetwork(context);
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console error: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });

    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForFunction(() => document.documentElement.dataset.qaReady === '1', null, { timeout: 10000 });
    const report = await page.evaluate(() => JSON.parse(document.getElementById('qa-data').textContent).report);
    if (many) {
      await checkMany(page, report);
      check(attempted.length === 0 && problems.length === 0, [...attempted, ...problems].join('\n'));
      const renderMs = await page.evaluate(() => Number(document.documentElement.dataset.qaRenderMs));
      console.log(`tuning_test: ok: 2501 points, first render ${renderMs} ms, ${Date.now() - started} ms`);
      return;
    }
    const points = expectedPoints(report);
    check(points.length === 19, `19 tuning points in the report (18 of the grid, sigma 20), found ${points.length}`);
    const sections = await page.$$eval('#qa-app > section', (nodes) => nodes.map((n) => n.id));
    check(sections[0] === 'qa-summary' && sections[1] === 'qa-tuning' && sections.indexOf('qa-table') > 1, `the tuning section follows the summary: ${sections}`);

    // The ranking by the default metric, the main psnr (larger is better).
    check(await page.inputValue('#qa-tuning-metric') === 'psnr', 'psnr, the first main metric, ranks by default');
    const byPsnr = await checkRanking(page, report, points, 'psnr');
    const failed = byPsnr[byPsnr.length - 1];
    check(failed.mean === null && failed.failed === failed.runs && failed.runs === 2 && JSON.parse(failed.params).sigma === 20,
      `the sigma=20 point comes last with its 2 failed runs: ${JSON.stringify(failed)}`);
    // The reference: the plain batch's runs (only the reference has them) under every point.
    const plain = report.runs.filter((r) => r.status === null && r.metrics.psnr && typeof r.metrics.psnr.reference === 'number');
    check(plain.length === 2, `the plain runs of the reference are in the report: ${plain.length}`);
    const plainMean = mean(plain.map((r) => r.metrics.psnr.reference));
    check(byPsnr.every((r) => r.reference !== null && close(r.reference, plainMean)), `every point's reference is the plain mean ${plainMean}: ${byPsnr.map((r) => r.reference)}`);

    // Another metric, mse (smaller is better), reorders the points.
    await page.selectOption('#qa-tuning-metric', 'mse');
    const byMse = await checkRanking(page, report, points, 'mse');
    check(byMse.map((r) => r.params).join('\n') !== byPsnr.map((r) => r.params).join('\n'), 'ranking by mse orders the points otherwise than psnr');
    await page.selectOption('#qa-tuning-metric', 'psnr');
    const best = (await rankingRows(page))[0];

    // A chart per varying parameter, a point per point with a value, the best ringed.
    const charts = await page.$$eval('#qa-tuning svg[data-chart="tuning-param"]', (nodes) => nodes.map((n) => n.getAttribute('data-param') + ':' + n.getAttribute('data-axis')));
    check(JSON.stringify(charts.sort()) === JSON.stringify([HOSTILE_NAME + ':category', 'sigma:log', 'strength:linear'].sort()), `a chart per varying parameter: ${charts}`);
    for (let i = 0; i < charts.length; i++) {
      const chart = page.locator('#qa-tuning svg[data-chart="tuning-param"]').nth(i);
      check(await chart.locator('circle').count() === 18, `18 points with a psnr in chart ${charts[i]}`);
      check(await chart.locator('circle.best').count() === 1 && await chart.locator('circle.best').getAttribute('data-point') === best.point, `the best point is ringed in chart ${charts[i]}`);
    }
    const axisLabels = await page.$$eval(`#qa-tuning svg[data-axis="category"] text`, (nodes) => nodes.map((n) => n.textContent));
    check(axisLabels.some((label) => label.startsWith('<img src=x')), `the markup values are axis labels, as text: ${axisLabels}`);

    // Clicking a chart point shows exactly that point's runs; the button clears it.
    const target = byPsnr[3];
    // On the category axis: points of equal means (the markup values change nothing) stay apart.
    await page.click(`#qa-tuning svg[data-axis="category"] circle[data-point="${target.point}"]`);
    const want = points.find((p) => JSON.stringify(p.params) === target.params).runs.sort((a, b) => a - b);
    check(JSON.stringify(await shownRuns(page)) === JSON.stringify(want), `the chart point shows its runs ${want}: ${await shownRuns(page)}`);
    check(await page.isVisible('#qa-subset'), 'the runs table says it is filtered');
    check((await page.textContent('#qa-count')).startsWith(want.length + ' of '), 'the count says so');
    await page.click('#qa-subset');
    check(await page.textContent('#qa-count') === report.runs.length + ' runs' && await page.isHidden('#qa-subset'), 'the button shows every run again');
    // Clicking a ranking row does the same.
    await page.click(`#qa-tuning-table tbody tr[data-point="${failed.point}"]`);
    const failedRuns = await page.$$eval('#qa-runs tbody tr[data-index]', (rows) => rows.map((row) => row.getAttribute('data-verdict')));
    check(failedRuns.length === 2 && failedRuns.every((v) => v === 'failed'), `the failed point's row shows its failed runs: ${failedRuns}`);

    // Markup in parameter names and values stays text.
    const headers = await page.$$eval('#qa-tuning-table thead th', (nodes) => nodes.map((n) => n.textContent));
    check(headers.includes(HOSTILE_NAME), `the markup parameter name is a column header, as text: ${headers}`);
    const values = new Set((await rankingRows(page)).flatMap((r) => r.cells));
    check(HOSTILE_VALUES.every((v) => values.has(v)), `the markup values show as text: ${[...values]}`);
    await page.waitForTimeout(200);
    const state = await page.evaluate(() => ({
      pwned: typeof window.pwned,
      scripts: document.scripts.length,
      images: document.querySelectorAll('#qa-tuning img, #qa-table img').length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    }));
    check(state.pwned === 'undefined', 'window.pwned stays undefined');
    check(state.scripts === 2, `only the page's two scripts exist, found ${state.scripts}`);
    check(state.images === 0, 'no image element came from a parameter');
    check(state.handlers === 0, 'no inline event handler came from data');
    check(dialogs.length === 0, `no dialog opened: ${dialogs}`);
    check(attempted.length === 0, `requests left file://: ${attempted.join(', ')}`);
    check(problems.length === 0, problems.join('\n'));
    console.log(`tuning_test: ok: ${points.length} points, ${report.runs.length} runs, ${Date.now() - started} ms`);
  } finally {
    await closeBrowser();
  }
}

const htmlPath = process.argv[2];
if (!htmlPath) {
  console.error('usage: node tuning_test.mjs REPORT.html');
  process.exit(2);
}
const timer = setTimeout(() => { console.error('tuning_test: error: timed out after 90 s'); process.exit(1); }, 90000);
try {
  await run(htmlPath, process.argv[3] === '--many');
  clearTimeout(timer);
} catch (error) {
  console.error(`tuning_test: error: ${error.message}`);
  process.exit(1);
}
