// Browser test of a qa-report HTML page: node report_test.mjs REPORT.html
//
// Opens the page from file:// in headless Chromium with every other request aborted, then checks:
// no request left the machine, no console or page error, sorting by a metric column, the text and
// verdict filters, pagination, a run's detail with the reference, new and difference panes of an
// image (the images load, the colour map's legend), the slider's divider, the thumbnails, a
// large image's preview then full file, a visualization folded by default, and that data crafted
// as markup (an input named `<img src=x onerror=alert(1)>.png`, a metric
// `<script>window.pwned=1</script>`, a `javascript:` link, a visualization's name) stays text: no
// script ran, no dialog opened. The optimization section: the convergence (a point per ok
// evaluation, failed ones marked, the best ringed, the best-so-far line), a chart per searched
// parameter (log and category axes), the sortable evaluations. Exit 0 when all hold, 1 with the
// reason otherwise. The page must come from tests/browser/report_browser_test.cpp.
import { pathToFileURL } from 'node:url';
import { blockNetwork, launchChromium } from './chromium.mjs';

const XSS_INPUT = '<img src=x onerror=alert(1)>.png';
const XSS_METRIC = '<script>window.pwned=1</script>';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function rowValues(page, column, count) {
  return page.$$eval(`#qa-runs tbody td[data-col="${column}"]`, (cells, n) =>
    cells.slice(0, n).map((cell) => (cell.hasAttribute('data-value') ? Number(cell.getAttribute('data-value')) : null)), count);
}

async function visibleInputs(page) {
  return page.$$eval('#qa-runs tbody td[data-col="input"]', (cells) => cells.map((cell) => cell.textContent));
}

async function imagesLoaded(page, selector) {
  return page.$$eval(selector, (images) => Promise.all(images.map((image) => (image.complete ? null
    : new Promise((resolve) => { image.onload = resolve; image.onerror = resolve; }))))
    .then(() => images.map((image) => [image.getAttribute('src'), image.naturalWidth])));
}

async function filter(page, textValue) {
  await page.fill('#qa-filter', textValue);
}

async function checkOptimization(page, opt) {
  check(opt && opt.schema === 'qa.optimization/1', 'the report embeds the optimization');
  const ok = opt.evaluations.filter((e) => e.status === 'ok').length;
  const best = String(opt.evaluation);
  const convergence = '#qa-optimization svg[data-chart="convergence"]';
  check(await page.locator(convergence + ' circle').count() === ok, `a point per ok evaluation (${ok})`);
  check(await page.getAttribute(convergence + ' circle.best', 'data-evaluation') === best, 'the best point is ringed');
  const marks = await page.locator(`${convergence} path.mark-failed, ${convergence} path.mark-interrupted`).count();
  check(marks === opt.evaluations.length - ok, `failed and interrupted evaluations are marked: ${marks}`);
  check(await page.locator(convergence + ' path.best-line').count() === 1, 'the best-so-far line');
  for (const dimension of opt.search_space) {
    const chart = `#qa-optimization svg[data-param="${dimension.name}"]`;
    check(await page.locator(chart + ' circle').count() === ok, `a point per ok evaluation against ${dimension.name}`);
    check(await page.getAttribute(chart + ' circle.best', 'data-evaluation') === best, `the best point against ${dimension.name}`);
  }
  const axes = await page.$$eval('#qa-optimization svg[data-param]', (charts) => charts.map((c) => c.getAttribute('data-param') + ':' + c.getAttribute('data-axis')));
  check(JSON.stringify(axes) === JSON.stringify(['strength:linear', 'sigma:log', 'mode:category']), `parameter axes: ${axes}`);
  // sigma = 1 is the middle of a log axis from 0.1 to 10; 0.25 and 1.4 fall on either side.
  const cx = async (chart, evaluation) => Number(await page.getAttribute(`#qa-optimization svg[data-param="${chart}"] circle[data-evaluation="${evaluation}"]`, 'cx'));
  const [low, middle, high] = [await cx('sigma', 4), await cx('sigma', 1), await cx('sigma', 3)];
  const left = await page.$eval('#qa-optimization svg[data-param="sigma"] line', (line) => Number(line.getAttribute('x1')));
  check(Math.abs(middle - (left + 8 + (420 - left - 12 - 16) / 2)) < 1 && low < middle && middle < high, `a log axis: ${low} ${middle} ${high}`);
  check(await cx('mode', 1) < await cx('mode', 3), 'categories in their order: fast before fine');
  // The table of evaluations sorts on a click.
  check(await page.locator('#qa-evaluations tbody tr').count() === opt.evaluations.length, 'a row per evaluation');
  await page.click('#qa-evaluations th[data-sort="objective"]');
  check(await page.getAttribute('#qa-evaluations tbody tr >> nth=0', 'data-evaluation') === best, 'sorted by objective, the best first');
  await page.click('#qa-evaluations th[data-sort="objective"]');
  const last = await page.$$eval('#qa-evaluations tbody tr', (rows) => rows.map((r) => r.getAttribute('data-evaluation')));
  check(last[last.length - 1] !== best && last.indexOf(best) === ok - 1, `descending: the best is the last with an objective: ${last}`);
  check((await page.textContent('#qa-evaluations')).includes('<script>window.pwned=4</script>'), 'a crafted note shows as text');
}

async function run(htmlPath) {
  const started = Date.now();
  const { context, close } = await launchChromium();
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
    const renderMs = await page.evaluate(() => Number(document.documentElement.dataset.qaRenderMs));
    const data = await page.evaluate(() => JSON.parse(document.getElementById('qa-data').textContent));
    const runs = data.report.runs;
    check(runs.length > 200, `the test report needs more than one page of runs, has ${runs.length}`);
    check(await page.locator('#qa-summary .qa-card').count() === 8, 'eight summary cards');
    check(await page.locator('#qa-charts svg[data-metric="psnr"] circle').count() > 0, 'a psnr chart with points');
    check(await page.locator('#qa-aggregates tbody tr').count() > 0, 'aggregates per label and config');
    await checkOptimization(page, data.report.optimization);

    // The headline: the verdict under its gate, what is compared with what and why.
    check(['true', 'false'].includes(await page.getAttribute('#qa-headline', 'data-passed')), 'the h1 says passed or failed');
    check(/^(passed|failed) .*\(gate: /.test(await page.textContent('#qa-headline')), `the h1 names the gate: ${await page.textContent('#qa-headline')}`);
    check((await page.textContent('#qa-compared')).includes(' against '), 'the header says what is compared');
    check(data.report.verdict && typeof data.report.verdict.passed === 'boolean', 'the data carries the verdict');

    // A virtualized table: only the rows in sight are in the DOM; scrolling to the end shows the last.
    const rendered = await page.locator('#qa-runs tbody tr[data-index]').count();
    check(rendered > 10 && rendered < runs.length, `only the rows in sight are rendered: ${rendered} of ${runs.length}`);
    await page.$eval('#qa-runs-scroll', (node) => { node.scrollTop = node.scrollHeight; });
    await page.waitForFunction((n) => document.querySelector(`#qa-runs tbody tr[aria-rowindex="${n + 1}"]`) !== null, runs.length);
    const lastKey = await page.getAttribute(`#qa-runs tbody tr[aria-rowindex="${runs.length + 1}"]`, 'data-index');
    check(Number(lastKey) === runs.length - 1, `the last row is the last run: ${lastKey}`);
    await page.$eval('#qa-runs-scroll', (node) => { node.scrollTop = 0; });
    await page.waitForFunction(() => document.querySelector('#qa-runs tbody tr[aria-rowindex="2"]') !== null);
    // Arrow keys walk the rows beyond the ones in sight.
    await page.focus('#qa-runs tbody tr[aria-rowindex="2"]');
    for (let i = 0; i < 60; i++) await page.keyboard.press('ArrowDown');
    check(await page.evaluate(() => document.activeElement.getAttribute('aria-rowindex')) === '62', 'ArrowDown moves row by row through the view');
    await page.$eval('#qa-runs-scroll', (node) => { node.scrollTop = 0; });

    // Each changed run says why, in its verdict cell and on hover.
    const regression = runs.findIndex((r) => r.verdict === 'regression');
    check(regression >= 0 && /tolerance/.test(runs[regression].reason), `a regression's reason names its tolerance: ${regression >= 0 && runs[regression].reason}`);
    const reasonCell = page.locator(`#qa-runs tbody tr[data-index="${regression}"] td[data-col="verdict"]`);
    check((await reasonCell.locator('.qa-reason').textContent()) === runs[regression].reason, 'the verdict cell shows the reason');
    check((await reasonCell.getAttribute('title')).endsWith(runs[regression].reason), 'the reason is whole on hover');

    // Sorting by a metric column, on the whole data array.
    const numbers = runs.map((r) => r.metrics.psnr && r.metrics.psnr.value).filter((v) => typeof v === 'number');
    const ascending = [...numbers].sort((a, b) => a - b);
    const before = await rowValues(page, 'metric:psnr', 5);
    await page.click('th[data-sort="metric:psnr"]');
    const up = await rowValues(page, 'metric:psnr', 5);
    check(JSON.stringify(up) === JSON.stringify(ascending.slice(0, 5)), `ascending psnr: got ${up}, want ${ascending.slice(0, 5)}`);
    check(JSON.stringify(up) !== JSON.stringify(before), 'sorting changed the order of the rows');
    await page.click('th[data-sort="metric:psnr"]');
    const down = await rowValues(page, 'metric:psnr', 5);
    const descending = [...ascending].reverse().slice(0, 5);
    check(JSON.stringify(down) === JSON.stringify(descending), `descending psnr: got ${down}, want ${descending}`);
    check(await page.getAttribute('th[data-sort="metric:psnr"]', 'aria-sort') === 'descending', 'the header shows the direction');

    // The text filter hides the rows that do not match; the verdict filter keeps one verdict.
    await filter(page, 'bulk-01');
    const filtered = await visibleInputs(page);
    check(filtered.length > 0 && filtered.length < 20, `the filter keeps a few rows, kept ${filtered.length}`);
    check(filtered.every((input) => input.includes('bulk-01')), `the filter kept ${filtered}`);
    await filter(page, '');
    await page.selectOption('#qa-verdict', 'regression');
    const verdicts = await page.$$eval('#qa-runs tbody tr', (rows) => rows.map((row) => row.getAttribute('data-verdict')));
    check(verdicts.length > 0 && verdicts.every((v) => v === 'regression'), `verdict filter kept ${verdicts}`);
    await page.selectOption('#qa-verdict', '');

    // A run's detail: the image views.
    await filter(page, 'scenes/cat');
    await page.click('#qa-runs tbody tr >> nth=0');
    await page.waitForSelector('#qa-detail:not([hidden]) .qa-image[data-path="out.png"]');
    const image = page.locator('#qa-detail .qa-image[data-path="out.png"]');
    const paneImages = await imagesLoaded(page, '#qa-detail .qa-image[data-path="out.png"] .qa-pane img');
    check(paneImages.length === 3 && paneImages.every(([, width]) => width === 64), `reference, new and difference panes load: ${JSON.stringify(paneImages)}`);
    check((await image.locator('.qa-stats').textContent()).includes('max abs difference 60'), 'image statistics are shown');
    const heading = await image.locator('h4').textContent();
    check(heading.startsWith('<img src=x onerror=alert(3)> \u2014 out.png'), `a visualization named as markup shows as text: ${heading}`);
    check(await image.locator('.qa-pane[data-pane="diff"] .qa-legend').getAttribute('data-max') === '60', 'the colour map legend shows the largest difference');
    await image.locator('button[data-view="slider"]').click();
    const clip = image.locator('.qa-slider .qa-clip');
    const clipBefore = await clip.evaluate((node) => node.style.clipPath);
    const boxBefore = await clip.evaluate((node) => getComputedStyle(node).clipPath);
    await image.locator('.qa-divider').focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
    const clipAfter = await clip.evaluate((node) => node.style.clipPath);
    const boxAfter = await clip.evaluate((node) => getComputedStyle(node).clipPath);
    check(clipBefore.includes('50%') && clipAfter.includes('80%') && boxBefore !== boxAfter,
      `moving the divider clips the new image: ${clipBefore} -> ${clipAfter}`);
    const sliderImages = await imagesLoaded(page, '#qa-detail .qa-slider img');
    check(sliderImages.length === 2 && sliderImages.every(([, width]) => width === 64), `slider images load: ${JSON.stringify(sliderImages)}`);
    await image.locator('button[data-view="panes"]').click();
    const thumbs = await imagesLoaded(page, '#qa-runs tbody img.qa-thumb');
    check(thumbs.length >= 1 && thumbs.every(([, width]) => width > 0 && width <= 96), `the runs with images show a thumbnail: ${JSON.stringify(thumbs)}`);
    const hidden = '#qa-detail details.qa-hidden-view[data-path="depth.ppm"]';
    check(await page.locator(`${hidden} .qa-image`).count() === 0, 'a visualization hidden by default is folded, not built');
    check((await page.textContent(`${hidden} summary`)).includes('Depth (hidden by default)'), 'the folded view says what it holds');
    await page.click(`${hidden} summary`);
    await page.waitForSelector(`${hidden} .qa-image`);
    const ppm = await imagesLoaded(page, '#qa-detail .qa-image[data-path="depth.ppm"] img');
    check(ppm.length === 3 && ppm.every(([src, width]) => src.endsWith('.png') && width === 8), `a PPM output shows as PNG: ${JSON.stringify(ppm)}`);
    // A large image shows its preview until the zoom needs the full file.
    const wide = '#qa-detail .qa-image[data-path="wide.png"]';
    const previews = await imagesLoaded(page, `${wide} img.qa-pix`);
    check(previews.length === 2 && previews.every(([src, width]) => src.endsWith('-preview.png') && width === 2048), `the panes load the preview: ${JSON.stringify(previews)}`);
    await page.focus(`${wide} .qa-stage`);
    await page.keyboard.press('1');
    const full = await imagesLoaded(page, `${wide} img.qa-pix`);
    check(full.every(([src, width]) => !src.endsWith('-preview.png') && width === 2100), `at 1:1 the full file loads: ${JSON.stringify(full)}`);
    check((await page.textContent('#qa-detail .qa-log')).includes('denoise: done'), 'the log tail is shown');
    const timing = await page.textContent('#qa-detail');
    check(/wall time\s*[0-9.]+ (ms|s)/.test(timing), 'timings are human: ms or s');
    await page.click('#qa-close');
    check(await page.locator('#qa-detail').isHidden(), 'the detail closes');

    // Dark mode follows the system; from 800 px wide nothing overflows the page.
    const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(light !== dark && dark === 'rgb(13, 17, 23)', `dark mode: ${light} -> ${dark}`);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 800, height: 700 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `the page fits 800 px: ${overflow} px too wide`);
    await page.setViewportSize({ width: 1280, height: 800 });

    // Data crafted as markup stays text.
    await filter(page, 'onerror');
    const inputs = await visibleInputs(page);
    check(inputs.length === 1 && inputs[0] === XSS_INPUT, `the crafted input shows as text: ${JSON.stringify(inputs)}`);
    await page.click('#qa-runs tbody tr >> nth=0');
    await page.waitForSelector('#qa-detail:not([hidden])');
    check((await page.textContent('#qa-detail')).includes(XSS_METRIC), 'the crafted metric shows as text');
    check(await page.locator('#qa-links a').count() === 1, 'only the https link is clickable');
    check(await page.getAttribute('#qa-links a', 'href') === 'https://ci.example.com/job/1', 'the https link keeps its address');
    await page.click('#qa-links li:nth-child(2) span >> nth=0').catch(() => {});
    const crafted = await imagesLoaded(page, '#qa-detail .qa-image img');
    check(crafted.length >= 1 && crafted.every(([, width]) => width > 0), `the crafted file's image loads: ${JSON.stringify(crafted)}`);
    await page.waitForTimeout(200);
    const state = await page.evaluate(() => ({
      pwned: typeof window.pwned,
      scripts: document.scripts.length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
    }));
    check(state.pwned === 'undefined', 'window.pwned stays undefined');
    check(state.scripts === 2, `only the page's two scripts exist, found ${state.scripts}`);
    check(state.handlers === 0, 'no inline event handler came from data');
    check(state.javascriptLinks === 0, 'no javascript: link');
    check(dialogs.length === 0, `no dialog opened: ${dialogs}`);
    check(attempted.length === 0, `requests left file://: ${attempted.join(', ')}`);
    check(problems.length === 0, problems.join('\n'));
    console.log(`report_test: ok: ${runs.length} runs, first render ${renderMs} ms, whole test ${Date.now() - started} ms`);
  } finally {
    await close();
  }
}

const htmlPath = process.argv[2];
if (!htmlPath) {
  console.error('usage: node report_test.mjs REPORT.html');
  process.exit(2);
}
const timer = setTimeout(() => { console.error('report_test: error: timed out after 90 s'); process.exit(1); }, 90000);
try {
  await run(htmlPath);
  clearTimeout(timer);
} catch (error) {
  console.error(`report_test: error: ${error.message}`);
  process.exit(1);
}
