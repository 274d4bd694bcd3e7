// The Experiment view: many seeds in the worker, the table beside the paper, the landscape charts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBrowser, ready, haveTable, quiet, results, VIEWPORTS } from './harness.mjs';

const h = useBrowser(import.meta.url);

test('a 500-seed MF-NAS experiment finishes in the worker in under 2 s', async () => {
  const query = haveTable() ? '' : 'dataset=synthetic&';
  const page = await h.open(`?${query}view=experiment&algos=mf-nas&runs=500`);
  await ready(page);
  await page.click('#exp-run');
  await page.waitForSelector('#exp-progress[data-ms]', { timeout: 60_000 });
  const ms = Number(await page.$eval('#exp-progress', (el) => el.dataset.ms));
  h.record('experiment500Ms', Math.round(ms));
  h.record('experimentTable', query ? 'synthetic' : 'cifar10');
  await page.waitForSelector('table.results tbody tr');
  const rows = await page.$$eval('#exp-table table.results tbody tr', (trs) => trs.length);
  assert.equal(rows, 1);
  await h.shot(page, 'experiment-mfnas-500', { fullPage: true });
  // The same experiment again: the first one after loading runs partly in the browser's
  // baseline code, before it has optimised the engine's hot functions; this one does not.
  await page.click('#exp-run');
  await page.waitForSelector('#exp-progress[data-ms]', { timeout: 60_000 });
  h.record('experiment500AgainMs', Math.round(Number(await page.$eval('#exp-progress', (el) => el.dataset.ms))));
  const q = quiet();
  h.record('experiment500Load', q.load);
  if (q.quiet) assert.ok(ms < 2000, `500 seeds took ${ms} ms`);
  else console.log(`${q.why}: 500 seeds took ${Math.round(ms)} ms, not asserted`);
  await page.close();
});

test('an experiment started while the landscape is analysed goes first; the analysis goes on after it', async () => {
  const query = haveTable() ? '' : 'dataset=synthetic&';
  // The view opens after the page is ready, so that its analysis starts now (on a fast
  // machine it is over in half a second); the experiment is started while it is under way.
  const page = await h.open(`?${query}view=run&algos=mf-nas&runs=10000`);
  await ready(page);
  await page.click('[role=tab][data-view=experiment]');
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        const t0 = Date.now();
        const poll = () => {
          const status = document.querySelector('#land-status');
          if (status && /Analysing the landscape/.test(status.textContent)) {
            document.querySelector('#exp-run').click();
            resolve();
          } else if (Date.now() - t0 > 60_000) resolve(); // the check below then fails, saying what it waited for
          else setTimeout(poll, 1);
        };
        poll();
      }),
  );
  // While the experiment runs, the analysis waits and says so.
  await page.waitForFunction(
    () => !document.querySelector('#exp-cancel').disabled && /goes on when the experiment is done/.test(document.querySelector('#land-status').textContent),
    null,
    { timeout: 60_000 },
  );
  const analysed = Number(/\((\d+) of/.exec(await page.textContent('#land-status'))[1]);
  for (const [name, vp] of [['phone', VIEWPORTS.phone], ['projector', VIEWPORTS.projector], ['desktop', VIEWPORTS.desktop]]) {
    await page.setViewportSize(vp);
    await h.shot(page, `experiment-landscape-waits-${name}`, { fullPage: name !== 'projector' });
  }
  await page.waitForSelector('#exp-progress[data-ms]', { timeout: 120_000 });
  await page.waitForSelector('#land-charts[data-metrics]', { timeout: 240_000 });
  const metrics = Number(await page.$eval('#land-charts', (el) => el.dataset.metrics));
  assert.ok(metrics > analysed, `${metrics} metrics analysed in all, ${analysed} before the experiment`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('another table chosen while an experiment runs ends it: Run is offered again and the new table is analysed', async (t) => {
  if (!haveTable()) return t.skip('needs the packed cifar10 table in dist/ to switch from it to another table');
  // Every paper algorithm over 10,000 seeds (about 12 s of work here): the experiment is still
  // running when the table changes, however busy the machine. With MF-NAS alone (about 2.4 s)
  // a busy CI machine once failed this test, most likely because the experiment had finished.
  const page = await h.open('?view=experiment&runs=10000');
  await ready(page);
  await page.click('#exp-run');
  await page.waitForFunction(() => Number(document.querySelector('#exp-progress')?.value) > 0, null, { timeout: 30_000 });
  await page.selectOption('select[name="dataset"][form="settings"], #settings select[name="dataset"]', 'synthetic');
  // The worker stops the experiment for the new table: the buttons say it is over.
  await page.waitForFunction(() => !document.querySelector('#exp-run').disabled && document.querySelector('#exp-cancel').disabled, null, { timeout: 60_000 });
  assert.equal(await page.textContent('#exp-progress-text'), 'Stopped: another table was loaded.');
  // cifar10's note on synflow's partial coverage went with its table (the synthetic table has none).
  assert.equal(await page.isVisible('#exp-coverage'), false);
  await h.shot(page, 'experiment-stopped-by-table');
  await page.waitForSelector('#land-charts[data-metrics]', { timeout: 240_000 });
  assert.match(await page.textContent('#land-status'), /metrics analysed in/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('an experiment of every paper algorithm shows the table beside the paper and the landscape charts', async () => {
  const query = haveTable() ? '' : 'dataset=synthetic&';
  const page = await h.open(`?${query}view=experiment&runs=50`);
  await ready(page);
  // Before a run, the chart's panel says what it will show.
  assert.match(await page.textContent('#exp-figure'), /a box per algorithm/);
  await page.click('#exp-run');
  await page.waitForSelector('#exp-progress[data-ms]', { timeout: 120_000 });
  await page.waitForSelector('#exp-table table.results tbody tr');
  const algos = await page.$$eval('#exp-table table.results tbody tr', (trs) => trs.map((tr) => tr.dataset.algo));
  assert.deepEqual(algos, ['rs', 'ls', 'sh', 'rea', 'rea-w', 'free-rea', 'mf-nas']);
  // The box plot: one box per algorithm, in the table's order, at the median of its seeds.
  const boxes = await page.$$eval('#exp-chart svg g.box', (gs) => gs.map((g) => ({ name: g.dataset.name, median: Number(g.dataset.median) })));
  const names = await page.$$eval('#exp-table table.results tbody tr th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(boxes.map((b) => b.name), names);
  for (const b of boxes) assert.ok(Number.isFinite(b.median) && b.median > 0 && b.median <= 100, `${b.name}: median ${b.median}`);
  assert.equal(await page.isVisible('#exp-chart-note'), false);
  for (const fmt of ['svg', 'png']) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#export-${fmt}`)]);
    const path = join(results, `experiment-boxplot.${fmt}`);
    await dl.saveAs(path);
    const bytes = readFileSync(path);
    if (fmt === 'svg') assert.equal((bytes.toString('utf8').match(/<g class="box"/g) ?? []).length, 7);
    else assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  }
  await page.waitForSelector('#land-charts[data-metrics]', { timeout: 240_000 });
  await page.waitForTimeout(300);
  await h.shot(page, 'experiment-all', { fullPage: true });
  await page.close();
});

test('an experiment can be cancelled', async () => {
  const page = await h.open('?dataset=synthetic&view=experiment&runs=10000&algos=mf-nas');
  await ready(page);
  await page.click('#exp-run');
  await page.waitForFunction(() => Number(document.querySelector('#exp-progress')?.value) > 0, null, { timeout: 30_000 });
  await page.click('#exp-cancel');
  await page.waitForFunction(() => document.querySelector('#exp-progress-text')?.textContent === 'Cancelled.');
  assert.equal(await page.isEnabled('#exp-run'), true);
  await page.close();
});
