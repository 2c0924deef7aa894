// Browser test of a qa-report history page: node history_test.mjs HISTORY.html
//
// Opens the page from file:// in headless Chromium with every other request aborted, then checks:
// one line chart per label/config and metric that has values, a point per commit with results,
// clicking a point shows that commit's aggregates below the charts (keyboard too), gaps listed,
// no request left the machine, no console or page error, and that crafted strings (a commit
// subject `</script><script>window.pwned=1</script>`, a label `<img src=x onerror=alert(1)>`) stay
// text. Exit 0 when all hold, 1 with the reason otherwise. The page comes from
// tests/browser/history_browser_test.cpp.
import { pathToFileURL } from 'node:url';
import { blockNetwork, launchChromium } from './chromium.mjs';

const SUBJECT = '</script><script>window.pwned=1</script>';
const LABEL = '<img src=x onerror=alert(1)>';

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function run(htmlPath) {
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
    const history = await page.evaluate(() => JSON.parse(document.getElementById('qa-data').textContent).history);
    check(history.schema === 'qa.history/1', 'the page embeds qa.history/1');

    // What the data says each chart must hold: per group and metric, the commits with a mean.
    const expected = new Map();
    for (const commit of history.commits) {
      for (const group of commit.groups) {
        for (const [name, stats] of Object.entries(group.metrics)) {
          if (stats.count === 0) continue;
          const id = JSON.stringify([group.label, group.config, name]);
          if (!expected.has(id)) expected.set(id, []);
          expected.get(id).push([commit.sha, stats.mean]);
        }
      }
    }
    const charts = await page.$$eval('section.qa-history-group', (sections) => sections.flatMap((section) =>
      [...section.querySelectorAll('svg.qa-line-chart')].map((chart) => ({
        id: JSON.stringify([section.getAttribute('data-label'), section.getAttribute('data-config'), chart.getAttribute('data-metric')]),
        points: [...chart.querySelectorAll('circle.qa-point')].map((p) => [p.getAttribute('data-sha'), Number(p.getAttribute('data-value'))]),
      }))));
    check(charts.length === expected.size && expected.size === 6, `one chart per group and metric: ${charts.length} of ${expected.size}`);
    for (const chart of charts) {
      const want = (expected.get(chart.id) || []).slice().reverse();  // oldest left
      check(JSON.stringify(chart.points) === JSON.stringify(want), `the points of ${chart.id}: ${JSON.stringify(chart.points)} against ${JSON.stringify(want)}`);
    }
    const withResults = history.commits.filter((c) => c.has_results).length;
    check(charts.some((c) => c.points.length === withResults), `a chart with a point per commit with results (${withResults})`);
    check(await page.locator('#qa-history-commits tr.qa-gap').count() === history.gaps && history.gaps === 1, 'the gap is listed');

    // A click on a point of default/base psnr opens that commit's aggregates.
    const base = 'section.qa-history-group[data-label="default"][data-config="base"]';
    const third = history.commits[2];
    await page.click(`${base} svg[data-metric="psnr"] circle.qa-point[data-sha="${third.sha}"]`);
    const shown = `${base} .qa-commit-detail .qa-commit[data-sha="${third.sha}"]`;
    await page.waitForSelector(shown);
    const baseGroup = third.groups.find((g) => g.label === 'default' && g.config === 'base');
    const mean = (baseGroup.metrics.psnr.mean).toFixed(2) + ' dB';
    const row = await page.textContent(`${shown} tr.qa-current td[data-metric="psnr"]`);
    check(row.startsWith(mean + ' / '), `the commit's psnr mean ${mean} is shown: ${row}`);
    check((await page.locator(`${shown} tbody tr`).count()) === third.groups.length, 'a row per group of the commit');
    check(await page.locator(`${base} circle.qa-point.selected`).count() === 1, 'the clicked point is marked');

    // The keyboard opens the newest commit, whose subject is crafted: text, not markup.
    const newest = history.commits[0];
    await page.focus(`${base} svg[data-metric="psnr"] circle.qa-point[data-sha="${newest.sha}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${base} .qa-commit[data-sha="${newest.sha}"]`);
    check((await page.textContent(`${base} .qa-commit h3`)).includes(SUBJECT), 'the crafted subject shows as text');
    const crafted = `section.qa-history-group[data-config="base"]:not([data-label="default"])`;
    check((await page.textContent(`${crafted} h2`)) === LABEL + ' / base', 'the crafted label shows as text');

    await page.waitForTimeout(200);
    const state = await page.evaluate(() => ({
      pwned: typeof window.pwned,
      scripts: document.scripts.length,
      images: document.images.length,
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
    }));
    check(state.pwned === 'undefined', 'window.pwned stays undefined');
    check(state.scripts === 2, `only the page's two scripts exist, found ${state.scripts}`);
    check(state.images === 0, 'no image element came from data');
    check(state.handlers === 0, 'no inline event handler came from data');
    check(dialogs.length === 0, `no dialog opened: ${dialogs}`);
    check(attempted.length === 0, `requests left file://: ${attempted.join(', ')}`);
    check(problems.length === 0, problems.join('\n'));
    console.log(`history_test: ok: ${charts.length} charts, ${withResults} commits with results`);
  } finally {
    await close();
  }
}

const htmlPath = process.argv[2];
if (!htmlPath) {
  console.error('usage: node history_test.mjs HISTORY.html');
  process.exit(2);
}
const timer = setTimeout(() => { console.error('history_test: error: timed out after 90 s'); process.exit(1); }, 90000);
try {
  await run(htmlPath);
  clearTimeout(timer);
} catch (error) {
  console.error(`history_test: error: ${error.message}`);
  process.exit(1);
}
