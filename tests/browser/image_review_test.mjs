// Browser test of the image review of a qa-report page built from REAL outputs of the example
// project (tests/browser/image_review_browser_test.cpp): node image_review_test.mjs REPORT.html
//
// Opens the page from file:// in headless Chromium with every other request aborted, then checks:
// the runs table's thumbnails load; a run's detail shows reference, new, difference and the
// input-side images of qaboard.yaml's visualizations (noisy input, ground truth) as panes; a wheel
// zoom and a drag on one pane change data-zoom and the translation identically on every pane;
// keyboard zoom, fit and pan; the pixel line under the cursor; the colour map's legend shows the
// largest difference; the slider's divider moves when dragged; full screen toggles; next and
// previous change the run without closing the detail; no console error, no request left the
// machine. Exit 0 when all hold, 1 with the reason otherwise.
import { pathToFileURL } from 'node:url';
import { blockNetwork, launchChromium } from './chromium.mjs';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function loaded(page, selector) {
  return page.$$eval(selector, (images) => Promise.all(images.map((image) => (image.complete ? null
    : new Promise((resolve) => { image.onload = resolve; image.onerror = resolve; }))))
    .then(() => images.map((image) => [image.getAttribute('src'), image.naturalWidth, image.naturalHeight])));
}

// The shared state of every pane of the image view `view`, and the transform of every image.
async function paneStates(page, view) {
  return page.$$eval(`${view} .qa-pane`, (panes) => panes.map((pane) => ({
    pane: pane.getAttribute('data-pane'),
    zoom: Number(pane.getAttribute('data-zoom')),
    x: Number(pane.getAttribute('data-x')),
    y: Number(pane.getAttribute('data-y')),
    transform: Array.from(pane.querySelectorAll('img.qa-pix')).map((img) => img.style.transform).join('|'),
  })));
}

function allSame(states) {
  const first = states[0];
  return states.every((s) => s.zoom === first.zoom && s.x === first.x && s.y === first.y && s.transform.split('|').every((t) => t === first.transform.split('|')[0]));
}

async function centre(locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

async function run(htmlPath) {
  const { context, close } = await launchChromium();
  try {
    const attempted = await blockNetwork(context);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const problems = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console ${message.type()}: ${message.text()}`); });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('html[data-qa-ready="1"]');
    const data = await page.evaluate(() => JSON.parse(document.getElementById('qa-data').textContent));
    const runs = data.report.runs;
    check(runs.length >= 2, `the example batch has runs: ${runs.length}`);

    // Thumbnails: a column of lazily loaded images, one per run with an image output.
    const thumbs = await loaded(page, '#qa-runs tbody img.qa-thumb');
    check(thumbs.length === runs.length, `a thumbnail per run: ${thumbs.length} of ${runs.length}`);
    check(thumbs.every(([, w, h]) => w > 0 && w <= 96 && h <= 96), `thumbnails load, at most 96 px: ${JSON.stringify(thumbs)}`);
    check(await page.getAttribute('#qa-runs tbody img.qa-thumb >> nth=0', 'loading') === 'lazy', 'thumbnails load lazily');

    // A run's detail: the panes of denoised.png, with the input side of the visualizations.
    await page.click('#qa-runs tbody tr >> nth=0');
    const view = '#qa-detail .qa-image[data-path="denoised.png"]';
    await page.waitForSelector(`#qa-detail:not([hidden]) .qa-image[data-path="denoised.png"]`);
    const firstKey = await page.textContent('#qa-detail h2');
    check((await page.textContent(`${view} h4`)).startsWith('Denoised'), 'the visualization names the image');
    const panes = await page.$$eval(`${view} .qa-pane`, (nodes) => nodes.map((n) => [n.getAttribute('data-pane'), n.querySelector('figcaption').textContent]));
    check(JSON.stringify(panes.map(([id]) => id)) === JSON.stringify(['reference', 'new', 'diff', 'input-0', 'input-1']), `panes: ${JSON.stringify(panes)}`);
    check(panes[3][1] === 'Noisy input' && panes[4][1] === 'Ground truth', `the input side is named by the visualizations: ${JSON.stringify(panes)}`);
    const paneImages = await loaded(page, `${view} img.qa-pix`);
    check(paneImages.length === 5 && paneImages.every(([, w]) => w > 0), `every pane's image loads: ${JSON.stringify(paneImages)}`);
    const inputs = await page.$$eval('#qa-inputs tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-role'), r.children[0].textContent, r.children[1].textContent]));
    check(inputs.length === 2 && inputs[0][0] === 'input' && inputs[0][2].startsWith('data/images/') && inputs[1][2].startsWith('data/clean/'),
      `the input-side files are listed: ${JSON.stringify(inputs)}`);

    // The colour map's legend shows the largest difference.
    const index = Number(await page.getAttribute('#qa-detail', 'data-index'));
    const image = data.extras[index].images.find((i) => i.path === 'denoised.png');
    check(image.change === 'changed' && image.colormap === 'viridis' && image.diff_max > 0, `a changed image with a colour map: ${JSON.stringify(image)}`);
    check(await page.getAttribute(`${view} .qa-legend`, 'data-max') === String(image.diff_max), 'the legend carries the maximum');
    check((await page.textContent(`${view} .qa-legend-max`)) === String(image.diff_max), 'the legend shows the maximum');
    check((await page.textContent(`${view} .qa-legend-zero`)) === '0', 'the legend starts at 0');

    // A wheel zoom on the new pane: every pane follows.
    const fitted = await paneStates(page, view);
    check(allSame(fitted) && fitted[0].zoom > 0, `the panes start fitted and equal: ${JSON.stringify(fitted)}`);
    const newPort = page.locator(`${view} .qa-pane[data-pane="new"] .qa-viewport`);
    const at = await centre(newPort);
    await page.mouse.move(at.x + 10, at.y + 5);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction((sel) => Number(document.querySelector(sel).getAttribute('data-zoom')) > 0, `${view} .qa-pane[data-pane="new"]`);
    const zoomed = await paneStates(page, view);
    check(zoomed[0].zoom > fitted[0].zoom * 1.5, `the wheel zooms in: ${fitted[0].zoom} -> ${zoomed[0].zoom}`);
    check(allSame(zoomed), `the wheel zoom is shared by every pane: ${JSON.stringify(zoomed)}`);
    const scale = Number((/scale\(([\d.]+)\)/.exec(zoomed[0].transform) || [])[1]);
    check(Math.abs(scale - zoomed[0].zoom) < 1e-3, `the transform applies the zoom: ${zoomed[0].transform}`);

    // A drag on the difference pane pans every pane by the same amount.
    const diffPort = page.locator(`${view} .qa-pane[data-pane="diff"] .qa-viewport`);
    const from = await centre(diffPort);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 30, from.y + 20, { steps: 5 });
    await page.mouse.up();
    const dragged = await paneStates(page, view);
    check(allSame(dragged), `the drag is shared by every pane: ${JSON.stringify(dragged)}`);
    check(Math.abs(dragged[0].x - zoomed[0].x - 30) < 0.5 && Math.abs(dragged[0].y - zoomed[0].y - 20) < 0.5,
      `the drag pans by the pointer's move: ${JSON.stringify([zoomed[0], dragged[0]])}`);
    check(await page.$eval(view, (n) => n.classList.contains('qa-magnified')) === (dragged[0].zoom >= 1), 'pixels stay sharp when magnified');

    // The keyboard, once the view has focus: + zooms by 1.5, 0 fits again, arrows pan.
    await page.focus(`${view} .qa-stage`);
    await page.keyboard.press('+');
    const plus = await paneStates(page, view);
    check(Math.abs(plus[0].zoom / dragged[0].zoom - 1.5) < 0.01 && allSame(plus), `+ zooms in: ${dragged[0].zoom} -> ${plus[0].zoom}`);
    await page.keyboard.press('0');
    const refit = await paneStates(page, view);
    check(Math.abs(refit[0].zoom - fitted[0].zoom) < 1e-3 && Math.abs(refit[0].x - fitted[0].x) < 0.5, `0 fits again: ${JSON.stringify(refit[0])}`);
    await page.keyboard.press('ArrowLeft');
    const left = await paneStates(page, view);
    check(Math.abs(left[0].x - refit[0].x - 40) < 0.5 && allSame(left), `an arrow pans: ${refit[0].x} -> ${left[0].x}`);
    await page.keyboard.press('-');
    check((await paneStates(page, view))[0].zoom < left[0].zoom, '- zooms out');

    // The pixel under the cursor: its coordinates, and why its values cannot be read from file://.
    const hover = await centre(newPort);
    await page.mouse.move(hover.x, hover.y);
    const pixel = await page.textContent(`${view} .qa-pixel`);
    check(/^x \d+, y \d+/.test(pixel), `the pixel line gives coordinates: ${pixel}`);
    check(pixel.includes('new ') || pixel.includes('pixel values unavailable: the browser does not let a page opened from file://'), `the pixel line gives values or says why not: ${pixel}`);

    // The slider: a divider that moves when dragged, with the view's zoom.
    await page.click(`${view} button[data-view="slider"]`);
    const slider = `${view} .qa-slider`;
    await page.waitForSelector(slider);
    check(await page.getAttribute(slider, 'data-split') === '50', 'the divider starts in the middle');
    const clipBefore = await page.$eval(`${slider} .qa-clip`, (n) => n.style.clipPath);
    const divider = await centre(page.locator(`${slider} .qa-divider`));
    const port = (await page.locator(`${slider} .qa-viewport`).boundingBox());
    await page.mouse.move(divider.x, divider.y);
    await page.mouse.down();
    await page.mouse.move(port.x + port.width * 0.25, divider.y, { steps: 5 });
    await page.mouse.up();
    const split = Number(await page.getAttribute(slider, 'data-split'));
    const clipAfter = await page.$eval(`${slider} .qa-clip`, (n) => n.style.clipPath);
    check(Math.abs(split - 25) < 2, `dragging the divider moves it: ${split}`);
    const clipped = Number((/inset\(0(?:px)? ([\d.]+)%/.exec(clipAfter) || [])[1]);
    check(clipBefore !== clipAfter && Math.abs(clipped - (100 - split)) < 0.2, `the new image is clipped at the divider: ${clipBefore} -> ${clipAfter}`);
    const sliderZoom = Number(await page.getAttribute(slider, 'data-zoom'));
    const sliderAt = await centre(page.locator(`${slider} .qa-viewport`));
    await page.mouse.move(sliderAt.x + 40, sliderAt.y);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction(([sel, z]) => Number(document.querySelector(sel).getAttribute('data-zoom')) !== z, [slider, sliderZoom]);
    const transforms = await page.$$eval(`${slider} img.qa-pix`, (imgs) => imgs.map((i) => i.style.transform));
    check(transforms.length === 2 && transforms[0] === transforms[1], `the slider's images zoom together: ${transforms}`);
    await page.click(`${view} button[data-view="panes"]`);

    // Full screen, and back.
    await page.click(`${view} button[data-action="fullscreen"]`);
    await page.waitForFunction((sel) => document.querySelector(sel).getAttribute('data-fullscreen') === '1', view);
    await page.click(`${view} button[data-action="fullscreen"]`);
    await page.waitForFunction((sel) => document.querySelector(sel).getAttribute('data-fullscreen') === '0', view);

    // Next and previous run, by key and by button, without closing the detail.
    check((await page.textContent('#qa-position')) === '1 of ' + runs.length, 'the position in the table');
    await page.focus('#qa-detail h2').catch(() => {});
    await page.keyboard.press(']');
    check(await page.isVisible('#qa-detail'), 'the detail stays open');
    const secondKey = await page.textContent('#qa-detail h2');
    check(secondKey !== firstKey && (await page.textContent('#qa-position')) === '2 of ' + runs.length, `] opens the next run: ${firstKey} -> ${secondKey}`);
    await page.keyboard.press('[');
    check((await page.textContent('#qa-detail h2')) === firstKey, '[ goes back');
    await page.click('#qa-next');
    check((await page.textContent('#qa-detail h2')) === secondKey, 'the next button');
    await page.click('#qa-prev');
    check((await page.textContent('#qa-detail h2')) === firstKey, 'the previous button');
    check(await page.isDisabled('#qa-prev'), 'no previous run before the first');
    await page.waitForSelector(`${view} .qa-pane[data-pane="input-1"]`);

    await page.waitForTimeout(100);
    check(attempted.length === 0, `requests left file://: ${attempted.join(', ')}`);
    check(problems.length === 0, problems.join('\n'));
    console.log(`image_review_test: ok: ${runs.length} runs, diff max ${image.diff_max}, pixel line "${pixel}"`);
  } finally {
    await close();
  }
}

const htmlPath = process.argv[2];
if (!htmlPath) {
  console.error('usage: node image_review_test.mjs REPORT.html');
  process.exit(2);
}
const timer = setTimeout(() => { console.error('image_review_test: error: timed out after 90 s'); process.exit(1); }, 90000);
try {
  await run(htmlPath);
  clearTimeout(timer);
} catch (error) {
  console.error(`image_review_test: error: ${error.message}`);
  process.exit(1);
}
