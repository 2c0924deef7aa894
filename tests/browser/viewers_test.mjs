// Browser test of the output viewers: node viewers_test.mjs REPORT.html [--without-plotly]
//
// The page comes from tests/browser/viewers_browser_test.cpp: one run whose outputs (written by
// viewers_project/algo.sh, gain 3 against the reference's 2) are a text summary, a CSV table, a
// JSON result, an HTML page with a script, a plotly figure, a PLY point cloud and a WebM video.
// Opens the page from file:// in headless Chromium with every other request aborted, opens the
// run, and checks: the changed line of the text is shown old and new, unchanged lines collapsed;
// the CSV and JSON changed cells are marked; the HTML output is in an iframe with sandbox=""
// whose script did not run; the plotly figure rendered (its SVG); both point cloud canvases have
// drawn pixels and orbit together; the videos play, pause and seek together; no request left the
// machine, no console error or CSP violation but Chromium's note that the sandboxed frame's
// script was blocked; strings crafted as markup stayed text (no element, no script, no dialog).
// With --without-plotly (a page written without plotly.js), only that the figure is a table with
// a note and that nothing failed. Exit 0 when all hold, 1 with the reason otherwise.
import { pathToFileURL } from 'node:url';
import { blockNetwork, launchChromium } from './chromium.mjs';

const HOSTILE = '<img src=x onerror=window.pwned=1>';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const view = (path) => `.qa-output[data-path="${path}"]`;

async function canvasInk(page) {
  return page.$$eval(`${view('points.ply')} canvas`, (canvases) => canvases.map((canvas) => {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    let sum = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) { drawn++; sum = (sum * 31 + i) % 1000000007; }
    return { side: canvas.getAttribute('data-side'), drawn, sum };
  }));
}

// The same page written without plotly.js (QA_VIEWERS_DIR empty): the figure is a JSON table
// with the viewer's one-line note, no error.
async function checkWithoutPlotly(page) {
  const note = await page.textContent(`${view('figure.json')} .qa-note`);
  check(note === 'plotly.js is not installed: the figure is shown as a table', `the note without plotly.js: ${note}`);
  check(await page.locator(`${view('figure.json')} .qa-plotly`).count() === 0, 'no plot without plotly.js');
  const rows = await page.$$eval(`${view('figure.json')} tbody tr`, (list) => list.map((r) => [r.getAttribute('data-path'), r.classList.contains('qa-changed')]));
  check(JSON.stringify(rows.find((r) => r[0] === '$.data[0].y[0]')) === JSON.stringify(['$.data[0].y[0]', true]), `the figure as a table: ${JSON.stringify(rows)}`);
  check(await page.$$eval('script[src]', (list) => list.every((s) => !s.src.includes('plotly'))), 'plotly.js is not loaded');
}

async function main(htmlPath, withoutPlotly) {
  const { context, close } = await launchChromium();
  try {
    const attempted = await blockNetwork(context);
    const page = await context.newPage();
    const problems = [];
    const blocked = [];
    const dialogs = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      // Chromium's own word that the HTML output's script was not run: what the sandbox is for.
      if (message.text().startsWith("Blocked script execution in 'about:srcdoc'")) blocked.push(message.text());
      else problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(pathToFileURL(htmlPath).href);
    check(await page.locator('#qa-outputs').count() === 0, 'no viewer before a run is opened');
    check(await page.$$eval('script[src]', (s) => s.length) === 0, 'no data asset is loaded before a run is opened');
    await page.click('#qa-runs tbody tr >> nth=0');
    await page.waitForSelector('#qa-outputs');
    await page.waitForFunction(() => [...document.querySelectorAll('.qa-output')].every((b) => b.getAttribute('data-state') !== 'loading'), null, { timeout: 60000 });
    const states = await page.$$eval('.qa-output', (boxes) => boxes.map((b) => [b.getAttribute('data-path'), b.getAttribute('data-kind'), b.getAttribute('data-state')]));
    if (withoutPlotly) {
      await checkWithoutPlotly(page);
      check(states.every((s) => s[2] === 'ready'), `every viewer is ready: ${JSON.stringify(states)}`);
      check(attempted.length === 0, `no network request: ${attempted}`);
      check(problems.length === 0, problems.join('\n'));
      console.log('viewers_test: ok without plotly.js');
      return;
    }
    const expected = [['clip.webm', 'video'], ['figure.json', 'plotly'], ['page.html', 'html'], ['points.ply', 'point_cloud'], ['result.json', 'json'], ['summary.txt', 'text'], ['table.csv', 'csv']];
    check(JSON.stringify(states.map((s) => [s[0], s[1]])) === JSON.stringify(expected), `one viewer per output: ${JSON.stringify(states)}`);
    check(states.every((s) => s[2] === 'ready'), `every viewer is ready: ${JSON.stringify(states)}`);

    // Text: the one changed line, old and new; the rest collapsed or shown as is.
    const changed = await page.$$eval(`${view('summary.txt')} tr.qa-changed`, (rows) => rows.map((r) => [r.querySelector('.qa-del').textContent, r.querySelector('.qa-add').textContent]));
    check(JSON.stringify(changed) === JSON.stringify([['gain: 2', 'gain: 3']]), `the changed line, old and new: ${JSON.stringify(changed)}`);
    const collapsed = await page.textContent(`${view('summary.txt')} tr.qa-collapsed`);
    check(/unchanged lines/.test(collapsed), `unchanged lines are collapsed: ${collapsed}`);
    check((await page.textContent(view('summary.txt'))).includes(HOSTILE + ',4'), 'a line crafted as markup shows as text');

    // CSV: the header, and the changed cells (value * 3 against value * 2) marked.
    const header = await page.$$eval(`${view('table.csv')} th`, (cells) => cells.map((c) => c.textContent));
    check(JSON.stringify(header) === JSON.stringify(['name', 'value', 'scaled']), `the CSV header: ${header}`);
    const cells = await page.$$eval(`${view('table.csv')} td.qa-cell-changed`, (tds) => tds.map((td) => [td.firstChild.textContent, td.querySelector('.qa-was').textContent]));
    check(cells.length === 5 && JSON.stringify(cells[0]) === JSON.stringify(['9', '6']), `the CSV changed cells: ${JSON.stringify(cells)}`);
    const names = await page.$$eval(`${view('table.csv')} tbody tr td:first-child`, (tds) => tds.map((td) => td.textContent));
    check(names.includes(HOSTILE) && names.includes('</script><script>window.pwned=2</script>'), `cells crafted as markup show as text: ${names}`);

    // JSON: flattened paths, the changed ones marked; keys and values crafted as markup are text.
    const jsonRows = await page.$$eval(`${view('result.json')} tbody tr`, (rows) => rows.map((r) => [r.getAttribute('data-path'), r.classList.contains('qa-changed'), ...[...r.children].slice(1).map((c) => c.textContent)]));
    const byPath = new Map(jsonRows.map((r) => [r[0], r]));
    check(JSON.stringify(byPath.get('$.gain')) === JSON.stringify(['$.gain', true, '2', '3']), `$.gain changed: ${JSON.stringify(byPath.get('$.gain'))}`);
    check(byPath.get(`$.items[${JSON.stringify(HOSTILE)}]`)?.[1] === true, `a key crafted as markup is a changed row: ${JSON.stringify(jsonRows)}`);
    check(byPath.get('$.label')?.[1] === false && byPath.get('$.label')[3] === '"</script><img src=x onerror=window.pwned=6>"', 'an unchanged value crafted as markup shows as text');
    check(jsonRows.filter((r) => r[1]).length === 6, `six changed JSON cells: ${JSON.stringify(jsonRows)}`);

    // HTML: sandboxed iframes (no allow-scripts, no allow-same-origin), their script not run.
    const frames = await page.$$eval(`${view('page.html')} iframe`, (list) => list.map((f) => [f.getAttribute('sandbox'), f.hasAttribute('src'), f.getAttribute('srcdoc').includes('gain')]));
    check(JSON.stringify(frames) === JSON.stringify([['', false, true], ['', false, true]]), `sandboxed srcdoc iframes: ${JSON.stringify(frames)}`);
    const documents = page.frames().filter((f) => f !== page.mainFrame());
    check(documents.length === 2, `two frames: ${documents.length}`);
    for (const frame of documents) {
      check(await frame.textContent('#msg') === 'static', 'the HTML output\'s script did not run');
    }
    check(blocked.length >= 2, `Chromium blocked the frames' scripts: ${blocked.length}`);

    // plotly: both figures rendered by plotly.js as SVG.
    const plots = await page.$$eval(`${view('figure.json')} .qa-plotly`, (list) => list.map((p) => [p.getAttribute('data-side'), p.querySelectorAll('svg.main-svg').length > 0, p.querySelectorAll('.scatterlayer .trace').length]));
    check(JSON.stringify(plots) === JSON.stringify([['reference', true, 1], ['new', true, 1]]), `the plotly figures render: ${JSON.stringify(plots)}`);

    // Point clouds: drawn, and a drag on one orbits both.
    const before = await canvasInk(page);
    check(before.length === 2 && before.every((c) => c.drawn > 500), `both clouds are drawn: ${JSON.stringify(before)}`);
    const camera = await page.getAttribute(`${view('points.ply')} .qa-cloud`, 'data-camera');
    const canvas = page.locator(`${view('points.ply')} canvas[data-side="new"]`);
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 20, { steps: 4 });
    await page.mouse.up();
    const after = await canvasInk(page);
    check(await page.getAttribute(`${view('points.ply')} .qa-cloud`, 'data-camera') !== camera, 'dragging turns the camera');
    check(after.every((c, i) => c.drawn > 500 && c.sum !== before[i].sum), `both clouds turned together: ${JSON.stringify(after)}`);

    // Video: the players play, pause and seek together.
    const videos = `${view('clip.webm')} video`;
    await page.locator(videos).first().scrollIntoViewIfNeeded();
    await page.waitForFunction((sel) => {
      const list = [...document.querySelectorAll(sel)];
      return list.length === 2 && list.every((v) => v.readyState >= 1);
    }, videos, { timeout: 30000 });
    const player = (side) => `${videos}[data-side="${side}"]`;
    await page.$eval(player('new'), (v) => v.play());
    await page.waitForFunction((sel) => !document.querySelector(sel).paused, player('reference'));
    await page.$eval(player('new'), (v) => v.pause());
    await page.waitForFunction((sel) => document.querySelector(sel).paused, player('reference'));
    await page.$eval(player('reference'), (v) => { v.currentTime = 1; });
    await page.waitForFunction((sel) => Math.abs(document.querySelector(sel).currentTime - 1) < 0.05, player('new'));

    // Nothing crafted as markup became markup, nothing left the machine.
    const state = await page.evaluate(() => ({
      pwned: typeof window.pwned,
      images: document.querySelectorAll('#qa-outputs img').length,
      scripts: document.querySelectorAll('#qa-outputs script').length,
      links: document.querySelectorAll('#qa-outputs a').length,
    }));
    check(state.pwned === 'undefined', 'window.pwned stays undefined');
    check(state.images === 0 && state.scripts === 0 && state.links === 0, `no element from the data: ${JSON.stringify(state)}`);
    check(dialogs.length === 0, `no dialog opened: ${dialogs}`);
    check(attempted.length === 0, `no network request: ${attempted}`);
    check(problems.length === 0, problems.join('\n'));
    console.log(`viewers_test: ok: ${states.length} viewers`);
  } finally {
    await close();
  }
}

const args = process.argv.slice(2);
if (args.length < 1 || args.length > 2 || (args.length === 2 && args[1] !== '--without-plotly')) {
  console.error('usage: node viewers_test.mjs REPORT.html [--without-plotly]');
  process.exit(2);
}
const timer = setTimeout(() => { console.error('viewers_test: error: timed out after 120 s'); process.exit(1); }, 120000);
main(args[0], args.length === 2).then(() => { clearTimeout(timer); }, (error) => {
  clearTimeout(timer);
  console.error(`viewers_test: error: ${error.message}`);
  process.exit(1);
});
