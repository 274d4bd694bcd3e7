// Every table in every view: each table the dataset menu offers runs every algorithm in the
// Run view to an outcome, an experiment in the Experiment view and a network in the Landscape
// view, or the view says in words, before anything runs, why it cannot use the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ready, openView, packedDatasets } from './harness.mjs';

const h = useBrowser(import.meta.url);
const ALGOS = ['rs', 'ls', 'bls', 'sh', 'rea', 'rea-w', 'free-rea', 'mf-nas'];
const DATASETS = ['synthetic', ...packedDatasets()];
/** Tables the engine cannot run yet; a test on them is reported as TODO, never passed quietly. */
const KNOWN_BROKEN = new Set(process.env.MFNAS_E2E_KNOWN_BROKEN?.split(',') ?? []);

for (const dataset of DATASETS) {
  const todo = KNOWN_BROKEN.has(dataset) ? `the engine does not run ${dataset} in the page yet` : undefined;
  test(`every algorithm runs to an outcome on ${dataset}`, { todo }, async () => {
    const page = await h.open(`?dataset=${dataset}`);
    await ready(page, 60_000);
    const offered = await page.$$eval('select[name=algo] option', (os) => os.map((o) => o.value));
    assert.deepEqual(offered, ALGOS);
    const outcomes = {};
    for (const algo of ALGOS) {
      await page.selectOption('select[name=algo]', algo);
      await page.waitForFunction((a) => (document.querySelector('#run-label')?.textContent ?? '') !== '' && new URL(location.href).searchParams.get('algo') === (a === 'mf-nas' ? null : a), algo);
      await page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('#status')?.dataset.state ?? ''));
      const errors = await page.$$eval('.message.error', (ms) => ms.map((m) => m.textContent));
      assert.deepEqual(errors, [], `${algo} on ${dataset}`);
      await page.click('#finish');
      await page.waitForFunction(() => !document.querySelector('#outcome')?.hidden || document.querySelector('.message.error'), null, { timeout: 60_000 });
      const after = await page.$$eval('.message.error', (ms) => ms.map((m) => m.textContent));
      assert.deepEqual(after, [], `${algo} on ${dataset}`);
      outcomes[algo] = await page.$eval('#outcome', (el) => el.dataset.testAcc);
    }
    h.record(`outcomes_${dataset}`, outcomes);
    await page.close();
  });

  test(`the Experiment and Landscape views work on ${dataset}`, { todo }, async () => {
    const page = await h.open(`?dataset=${dataset}&view=experiment&runs=3&algos=${ALGOS.join(',')}`);
    await ready(page, 60_000);
    await page.click('#exp-run');
    await page.waitForFunction(() => document.querySelector('#exp-progress')?.dataset.ms || document.querySelector('.message.error'), null, { timeout: 120_000 });
    assert.deepEqual(await page.$$eval('.message.error', (ms) => ms.map((m) => m.textContent)), [], `experiment on ${dataset}`);
    await page.waitForSelector('#exp-table table.results tbody tr');
    assert.equal(await page.$$eval('#exp-table table.results tbody tr', (rows) => rows.length), ALGOS.length);
    await openView(page, 'landscape');
    await page.waitForFunction(() => document.querySelector('.fig-funnel')?.dataset.nodes || document.querySelector('.message.error'), null, { timeout: 120_000 });
    assert.deepEqual(await page.$$eval('.message.error', (ms) => ms.map((m) => m.textContent)), [], `landscape on ${dataset}`);
    await page.close();
  });
}
