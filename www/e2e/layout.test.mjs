// Layouts: every view at 390x844 (phone), 1280x720 (projector), 1440x1000 (desktop) and in
// presentation mode; nothing wider than the screen, the play bar and the figure above the fold
// on a projector, the settings in a drawer on a phone. Screenshots of each in e2e/screenshots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ready, openView, haveTable, VIEWPORTS } from './harness.mjs';

const h = useBrowser(import.meta.url);
const DATASET = haveTable() ? 'cifar10' : 'synthetic';

/** Opens `view` with something on it (a finished run, a network, an experiment). */
async function filled(viewport, view, extra = '') {
  const page = await h.open(`?dataset=${DATASET}&seed=7&speed=max&runs=20${extra}`, { viewport });
  await ready(page);
  await page.click('#finish');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  if (view !== 'run') await openView(page, view);
  if (view === 'landscape') {
    await page.waitForSelector('.fig-funnel[data-nodes]', { timeout: 60_000 });
    await page.waitForTimeout(1500);
  }
  if (view === 'experiment') {
    await page.click('#exp-run');
    await page.waitForSelector('#exp-table table.results', { timeout: 60_000 });
    await page.waitForSelector('#land-charts[data-metrics]', { timeout: 240_000 });
  }
  if (view === 'cell') await page.waitForSelector('.editor:not([aria-busy]) .ed-nb', { timeout: 60_000 });
  await page.waitForTimeout(400);
  return page;
}

async function views(page) {
  return page.$$eval('[role=tab]', (tabs) => tabs.map((t) => t.dataset.view));
}

async function noHorizontalOverflow(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide on a ${width} px screen`);
}

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`every view fits a ${name} screen (${viewport.width}x${viewport.height})`, async () => {
    const probe = await h.open('?dataset=synthetic', { viewport });
    const ids = await views(probe);
    await probe.close();
    for (const view of ids) {
      const page = await filled(viewport, view);
      await noHorizontalOverflow(page, `${view} at ${name}`);
      await h.shot(page, `layout-${name}-${view}`, { fullPage: name !== 'projector' });
      await page.close();
    }
  });
}

test('on a 1280x720 projector the play bar and the whole trajectory are above the fold', async () => {
  const page = await h.open(`?dataset=${DATASET}`, { viewport: VIEWPORTS.projector });
  await ready(page);
  const play = await page.locator('#play').boundingBox();
  const chart = await page.locator('#trajectory-test').boundingBox();
  assert.ok(play.y + play.height <= 720, `Play ends at ${play.y + play.height} px`);
  assert.ok(chart.y + chart.height <= 720, `the trajectory ends at ${chart.y + chart.height} px`);
  await page.close();
});

test('on a phone the settings live in a drawer that opens, takes the focus and closes with Escape', async () => {
  const page = await h.open('?dataset=synthetic', { viewport: VIEWPORTS.phone });
  await ready(page);
  assert.equal(await page.isVisible('#controls'), false);
  const chart = await page.locator('#trajectory').boundingBox();
  assert.ok(chart.width >= 360, `the chart is ${chart.width} px wide`);
  await page.click('#drawer-toggle');
  await page.waitForSelector('#controls', { state: 'visible' });
  assert.equal(await page.getAttribute('#drawer-toggle', 'aria-expanded'), 'true');
  assert.ok(await page.evaluate(() => document.querySelector('#controls')?.contains(document.activeElement)));
  await page.waitForTimeout(300);
  await h.shot(page, 'layout-phone-drawer');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#controls', { state: 'hidden' });
  await page.close();
});

test('presentation mode keeps every view and its main control, enlarges the type and scrolls to the figure', async () => {
  const main = { run: '#play', landscape: 'select[name=metric]', experiment: '#exp-run' };
  for (const view of Object.keys(main)) {
    const page = await filled(VIEWPORTS.projector, view, '&present=1');
    assert.equal(await page.isVisible('#controls'), false, 'settings hidden');
    for (const id of Object.keys(main)) assert.ok(await page.isVisible(`[role=tab][data-view=${id}]`), `tab ${id} reachable`);
    assert.ok(await page.isVisible(main[view]), `${view}: ${main[view]} reachable`);
    const root = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.ok(root >= 20, `root font ${root} px`);
    const top = await page.evaluate((v) => document.querySelector(`#view-${v} .figure, #view-${v}`).getBoundingClientRect().top, view);
    assert.ok(top >= -2 && top < 720 / 2, `${view}: the figure starts at ${top} px`);
    await noHorizontalOverflow(page, `${view} presenting`);
    await h.shot(page, `layout-present-${view}`);
    await page.close();
  }
});

test('presentation mode can be left by Escape and entered by p, from any view', async () => {
  const page = await h.open('?dataset=synthetic&view=experiment', { viewport: VIEWPORTS.projector });
  await ready(page);
  await page.keyboard.press('p');
  await page.waitForSelector('body.present');
  await page.waitForURL(/present=1/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('body:not(.present)');
  await page.close();
});
