// The Landscape view: the network of a metric, the run's path over it, a clicked node's cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, playToEnd, openView, ready, haveTable, traceMainThread, measureMainThread, judgeMainThread, pagePerf, resetPagePerf } from './harness.mjs';

const h = useBrowser(import.meta.url);
const DATASET = haveTable() ? 'cifar10' : 'synthetic';

/** Screen coordinates of a LON node (the global optimum), from the page's sigma instance. */
async function nodeCentre(page) {
  await page.locator('#lon').scrollIntoViewIfNeeded(); // the network panel sits below the teaching figures
  await page.evaluate(() => globalThis.__mfnasLandscape.stopLayout()); // so the node stays put
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const v = globalThis.__mfnasLandscape;
    const node = v.globalNode();
    const p = v.sigma.graphToViewport(v.sigma.getGraph().getNodeAttributes(node));
    const r = document.querySelector('#lon').getBoundingClientRect();
    return [r.left + p.x, r.top + p.y];
  });
}

test('the landscape view draws the MLON with the run path and shows a clicked node', async () => {
  const page = await h.open('?dataset=synthetic&seed=7&view=landscape&metric=zc:synflow&kind=mlon&speed=max');
  // The whole network is the view's research panel, drawn when opened.
  await page.click('#network-details summary');
  await page.waitForSelector('#lon[data-nodes]', { timeout: 60_000 });
  const nodes = Number(await page.$eval('#lon', (el) => el.dataset.nodes));
  assert.ok(nodes >= 1);
  // Play the run from the run view, come back and see its path.
  await openView(page, 'run');
  await playToEnd(page);
  await openView(page, 'landscape');
  await page.waitForTimeout(2500);
  const path = Number(await page.$eval('#lon', (el) => el.dataset.path));
  h.record('lonNodes', nodes);
  h.record('lonPathOptima', path);
  assert.ok(path >= 1, 'the run visited at least one local optimum of its own proxy');
  await h.shot(page, 'landscape-synflow-mlon');
  // A rugged landscape (on the synthetic table): training loss after 200 epochs, full LON.
  await page.selectOption('select[name=metric]', 'train_loss@200');
  await page.selectOption('select[name=kind]', 'lon');
  await page.waitForFunction(() => Number(document.querySelector('#lon')?.dataset.nodes) > 1, null, { timeout: 60_000 });
  await page.waitForTimeout(4000);
  assert.ok(await page.$('#lon canvas'), 'sigma draws into a canvas');
  await page.mouse.click(...(await nodeCentre(page)));
  await page.waitForFunction(() => document.querySelector('#lon-cell')?.dataset.arch !== undefined, null, { timeout: 10_000 });
  await h.shot(page, 'landscape-valacc-lon');
  await page.close();
});

test('the optima table gives every node to the keyboard: Enter on a row shows its cell', async () => {
  const page = await h.open('?dataset=synthetic&view=landscape&metric=zc:synflow&kind=mlon');
  await page.click('#network-details summary');
  await page.waitForSelector('#lon[data-nodes]', { timeout: 60_000 });
  await page.click('#lon-data summary');
  await page.waitForSelector('#lon-data tbody tr button[data-arch]');
  const rows = await page.$$eval('#lon-data tbody tr', (trs) => trs.length);
  const nodes = Number(await page.$eval('#lon', (el) => el.dataset.nodes));
  assert.equal(rows, Math.min(nodes, 200));
  const first = page.locator('#lon-data tbody tr button[data-arch]').first();
  const arch = await first.getAttribute('data-arch');
  await first.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((a) => document.querySelector('#lon-cell')?.dataset.arch === a, arch, { timeout: 10_000 });
  await page.close();
});

// Judged with the page composited on the (emulated) GPU, as on a machine with one: without a
// GPU, Chrome reads every WebGL frame back on the main thread (see COMPOSITING_ARGS).
test('no main-thread task reaches 50 ms while a large landscape is laid out', async (t) => {
  const { page, mainThread } = await measureMainThread(t, 'landscape_layout', async () => {
    const page = await h.open(`?dataset=${DATASET}&view=landscape&metric=val_acc@200&kind=lon`);
    await ready(page);
    // The whole network is the Landscape view's research panel, drawn when opened.
    await page.click('#network-details summary');
    await page.waitForSelector('#lon[data-nodes]', { timeout: 60_000 });
    // Until the first network's layout has ended (at most 6 s) and its edges are shown, so that
    // what is traced is the change of metric alone.
    await page.waitForTimeout(7000);
    await resetPagePerf(page);
    const { mainThread } = await traceMainThread(page, async () => {
      await page.selectOption('select[name=metric]', DATASET === 'synthetic' ? 'train_loss@200' : 'zc:nwot');
      await page.waitForFunction(() => !/Computing/.test(document.querySelector('#lon-summary')?.textContent ?? ''), null, { timeout: 60_000 });
      await page.waitForTimeout(6000);
    });
    return { page, mainThread };
  });
  const nodes = Number(await page.$eval('#lon', (el) => el.dataset.nodes));
  h.record('layoutNodes', nodes);
  judgeMainThread(h, 'landscape_layout', await pagePerf(page), mainThread);
  await page.close();
});
