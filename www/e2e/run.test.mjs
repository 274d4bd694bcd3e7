// The Run view: the page gives the native engine's results, a URL replays its run, exports work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { useBrowser, ready, playToEnd, fixtureOutcome, haveTable, repo, www, results } from './harness.mjs';

const h = useBrowser(import.meta.url);

test('the page runs MF-NAS seed 7 to the same architecture and test accuracy as the native engine (synthetic table)', async () => {
  const page = await h.open('?dataset=synthetic&algo=mf-nas&zc=synflow&seed=7&speed=max');
  await ready(page);
  const shown = await playToEnd(page);
  const want = fixtureOutcome();
  assert.equal(shown.archString, want.arch_string);
  assert.equal(Number(shown.testAcc), want.test_acc);
  assert.equal(Number(shown.arch), want.arch);
  await page.waitForTimeout(300);
  await h.shot(page, 'run-synthetic-done');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the page runs MF-NAS seed 7 on cifar10 to the same result as `mfnas run`', async (t) => {
  const bin = join(repo, 'target', 'release', 'mfnas');
  if (!existsSync(bin) || !haveTable()) {
    const why = `needs ${bin} and the packed cifar10 table (scripts/test-web.sh builds both)`;
    // Same rule as the Rust tests (tests/common): a missing input fails under MFNAS_REQUIRE_DATA=1.
    if (process.env.MFNAS_REQUIRE_DATA === '1') throw new Error(`cannot run: ${why}`);
    if (process.env.MFNAS_SKIP_LOG) appendFileSync(process.env.MFNAS_SKIP_LOG, `e2e::page-matches-cli\t${why}\n`);
    t.skip(why);
    return;
  }
  // The CLI reads the same packed table the page serves.
  const tables = join(www, 'dist', 'tables');
  const cli = JSON.parse(
    execFileSync(bin, ['run', '--dataset', 'cifar10', '--algo', 'mf-nas', '--zc', 'synflow', '--seed', '7', '--format', 'json', '--tables', tables], { encoding: 'utf8' }),
  );
  h.record('cliSeed7', { arch_string: cli.arch_string, test_acc: cli.test_acc });
  const page = await h.open('?dataset=cifar10&algo=mf-nas&zc=synflow&seed=7&speed=max');
  await ready(page);
  const shown = await playToEnd(page);
  assert.equal(shown.archString, cli.arch_string);
  assert.equal(Number(shown.testAcc), cli.test_acc);
  assert.equal(Number(shown.costS), cli.cost_s);
  await h.shot(page, 'run-cifar10-seed7');
  await page.close();
});

test('"To end" streams the run with progress and gives the same outcome as playing', async () => {
  const page = await h.open('?dataset=synthetic&algo=mf-nas&zc=synflow&seed=7');
  await ready(page);
  await page.click('#finish');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  const shown = await page.$eval('#outcome', (el) => ({ ...el.dataset }));
  assert.equal(shown.archString, fixtureOutcome().arch_string);
  assert.equal(await page.isVisible('#run-progress'), false, 'the progress bar goes away at the end');
  await page.close();
});

test('the cell view draws an architecture picked in the bracket', async () => {
  const page = await h.open('?dataset=synthetic&seed=7&speed=max');
  await ready(page);
  await playToEnd(page);
  await page.click('.rung .entry.promoted');
  await page.waitForFunction(() => document.querySelector('#cell')?.dataset.arch !== undefined);
  const s = await page.$eval('#cell-info .arch-string', (el) => el.dataset.archString);
  assert.match(s, /^\|.+~0\|\+\|.+~0\|.+~1\|\+\|.+~0\|.+~1\|.+~2\|$/);
  await h.shot(page, 'run-bracket-cell', { fullPage: true });
  await page.close();
});

test('the same URL replays the same run', async () => {
  const page = await h.open('?dataset=synthetic&algo=ls&seed=11&speed=max');
  await ready(page);
  const first = await playToEnd(page);
  const url = page.url();
  await page.goto(url);
  await ready(page);
  const second = await playToEnd(page);
  assert.deepEqual(second, first);
  await page.close();
});

test('results and figures export as JSON, CSV, SVG and PNG', async () => {
  const page = await h.open('?dataset=synthetic&seed=7&speed=max');
  await ready(page);
  await playToEnd(page);
  const saved = {};
  for (const fmt of ['json', 'csv', 'svg', 'png']) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#export-${fmt}`)]);
    const path = join(results, `export.${fmt}`);
    await dl.saveAs(path);
    saved[fmt] = readFileSync(path);
  }
  const json = JSON.parse(saved.json.toString('utf8'));
  assert.equal(json.outcome.arch_string, fixtureOutcome().arch_string);
  assert.match(saved.csv.toString('utf8'), /^evals,total_s,arch,objective,score,test_acc,cost_s,epochs,charged\n/);
  assert.match(saved.svg.toString('utf8'), /^<svg[\s\S]*<\/svg>$/);
  assert.deepEqual([...saved.png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  await page.close();
});
