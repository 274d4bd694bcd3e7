// End-to-end: the built page (dist/) served by `vite preview`, driven in Debian's chromium
// with playwright-core. Run `npm run build` first (scripts/test-web.sh does it all).
//
// It checks that the page shows the same final architecture and test accuracy as the native
// engine for the same seed (`mfnas run` on the real cifar10 table when the release binary and
// the packed tables are there; the native golden fixture on the synthetic table always), that
// bad input gives a clear message, and measures the speed figures the issue asks for. Figures
// go to e2e/results/perf.json, screenshots of every view to e2e/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, appendFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

const www = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(www, '..');
const shots = join(www, 'e2e', 'screenshots');
const results = join(www, 'e2e', 'results');
mkdirSync(shots, { recursive: true });
mkdirSync(results, { recursive: true });
const figures = {};

let server;
let base;
let ctx;
let profile;

before(async () => {
  assert.ok(existsSync(join(www, 'dist', 'index.html')), 'build the page first: npm run build');
  server = await preview({ root: www, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  base = server.resolvedUrls.local[0];
  profile = mkdtempSync(join(tmpdir(), 'mfnas-e2e-'));
  ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 1000 },
    args: [
      '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // WebGL (sigma.js) on machines without a GPU.
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  });
});

after(async () => {
  writeFileSync(join(results, 'perf.json'), JSON.stringify(figures, null, 2) + '\n');
  console.log('speed figures:', JSON.stringify(figures));
  await ctx?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(query) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.errors = errors;
  await page.goto(`${base}${query}`);
  return page;
}

async function playToEnd(page) {
  await page.click('#play');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  return page.$eval('#outcome', (el) => ({ ...el.dataset }));
}

/** The MF-NAS seed-7 outcome of the native golden fixture (synthetic table, seed 3). */
function fixtureOutcome() {
  const all = JSON.parse(readFileSync(join(repo, 'tests', 'data', 'parity_synthetic3.json'), 'utf8'));
  return all.find((d) => d.algo === 'mf-nas' && d.seed === 7).outcome;
}

test('the page runs MF-NAS seed 7 to the same architecture and test accuracy as the native engine (synthetic table)', async () => {
  const page = await open('?dataset=synthetic&algo=mf-nas&zc=synflow&seed=7&speed=max');
  await page.waitForSelector('body[data-ready]');
  const shown = await playToEnd(page);
  const want = fixtureOutcome();
  assert.equal(shown.archString, want.arch_string);
  assert.equal(Number(shown.testAcc), want.test_acc);
  assert.equal(Number(shown.arch), want.arch);
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'run-synthetic-done.png') });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the page runs MF-NAS seed 7 on cifar10 to the same result as `mfnas run`', async (t) => {
  const bin = join(repo, 'target', 'release', 'mfnas');
  const manifest = join(www, 'dist', 'tables', 'manifest.json');
  const haveTable = existsSync(manifest) && 'nb201-cifar10.mfnt' in JSON.parse(readFileSync(manifest, 'utf8'));
  if (!existsSync(bin) || !haveTable) {
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
  figures.cliSeed7 = { arch_string: cli.arch_string, test_acc: cli.test_acc };
  const page = await open('?dataset=cifar10&algo=mf-nas&zc=synflow&seed=7&speed=max');
  await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
  const shown = await playToEnd(page);
  assert.equal(shown.archString, cli.arch_string);
  assert.equal(Number(shown.testAcc), cli.test_acc);
  assert.equal(Number(shown.costS), cli.cost_s);
  await page.screenshot({ path: join(shots, 'run-cifar10-seed7.png') });
  await page.close();
});

test('the page is interactive within 1.5 s of opening', async () => {
  const query = existsSync(join(www, 'dist', 'tables', 'nb201-cifar10.mfnt')) ? '' : '?dataset=synthetic';
  const page = await open(query);
  await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
  const ms = await page.evaluate(() => performance.getEntriesByName('mfnas-interactive')[0].startTime);
  figures.interactiveMs = Math.round(ms);
  figures.interactiveTable = query ? 'synthetic' : 'cifar10';
  await page.screenshot({ path: join(shots, 'run-ready.png') });
  assert.ok(ms < 1500, `interactive after ${ms} ms`);
  await page.close();
});

test('the main thread never blocks for 50 ms or more while a run plays', async () => {
  for (const speed of ['500', 'max']) {
    const page = await open(`?dataset=synthetic&algo=mf-nas&seed=3&speed=${speed}`);
    await page.waitForSelector('body[data-ready]');
    await page.evaluate(() => globalThis.__mfnasPerf.reset());
    await page.click('#play');
    if (speed === '500') {
      await page.waitForTimeout(2500);
      await page.screenshot({ path: join(shots, 'run-playing.png') });
    }
    await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
    await page.waitForTimeout(400);
    const f = await page.evaluate(() => ({ ...globalThis.__mfnasPerf.figures }));
    const load = loadavg()[0];
    figures[`play_${speed}`] = { longestTaskMs: Math.round(f.longestTaskMs), longTasks: f.longTasks, longestWorkMs: Math.round(f.longestWorkMs * 10) / 10, worst: f.worst, load: Math.round(load * 10) / 10 };
    // Wall-clock limits mean something only on a machine that is not busy with other work
    // (CI runs alone); on a busy one the figures are reported, not judged.
    if (load > cpus().length) {
      console.log(`machine busy (load ${load.toFixed(1)} on ${cpus().length} cores): main-thread figures at ${speed} reported, not asserted`);
      await page.close();
      continue;
    }
    assert.equal(f.longTasks, 0, `long tasks while playing at ${speed}: longest ${f.longestTaskMs} ms`);
    assert.ok(f.longestWorkMs < 50, `our longest work was ${f.longestWorkMs} ms (${f.worst})`);
    await page.close();
  }
});

test('a 500-seed MF-NAS experiment finishes in the worker in under 2 s', async () => {
  const query = existsSync(join(www, 'dist', 'tables', 'nb201-cifar10.mfnt')) ? '' : 'dataset=synthetic&';
  const page = await open(`?${query}view=experiment&algos=mf-nas&runs=500`);
  await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
  await page.click('#exp-run');
  await page.waitForSelector('#exp-progress[data-ms]', { timeout: 60_000 });
  const ms = Number(await page.$eval('#exp-progress', (el) => el.dataset.ms));
  figures.experiment500Ms = Math.round(ms);
  figures.experimentTable = query ? 'synthetic' : 'cifar10';
  const rows = await page.$$eval('table.results tbody tr', (trs) => trs.length);
  assert.equal(rows, 1);
  await page.screenshot({ path: join(shots, 'experiment-mfnas-500.png'), fullPage: true });
  assert.ok(ms < 2000, `500 seeds took ${ms} ms`);
  await page.close();
});

test('an experiment of every paper algorithm shows the table beside the paper and the landscape charts', async () => {
  const query = existsSync(join(www, 'dist', 'tables', 'nb201-cifar10.mfnt')) ? '' : 'dataset=synthetic&';
  const page = await open(`?${query}view=experiment&runs=50`);
  await page.waitForSelector('body[data-ready]', { timeout: 30_000 });
  await page.click('#exp-run');
  await page.waitForSelector('#exp-progress[data-ms]', { timeout: 120_000 });
  const algos = await page.$$eval('table.results tbody tr', (trs) => trs.map((tr) => tr.dataset.algo));
  assert.deepEqual(algos, ['rs', 'ls', 'sh', 'rea', 'rea-w', 'free-rea', 'mf-nas']);
  await page.waitForSelector('#land-charts[data-metrics]', { timeout: 240_000 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, 'experiment-all.png'), fullPage: true });
  await page.close();
});

test('the landscape view draws the MLON with the run path and shows a clicked node', async () => {
  const page = await open('?dataset=synthetic&seed=7&view=landscape&metric=zc:synflow&kind=mlon&speed=max');
  await page.waitForSelector('#lon[data-nodes]', { timeout: 60_000 });
  const nodes = Number(await page.$eval('#lon', (el) => el.dataset.nodes));
  assert.ok(nodes >= 1);
  // Play the run from the run view, come back and see its path.
  await page.click('.tabs [data-view=run]');
  await playToEnd(page);
  await page.click('.tabs [data-view=landscape]');
  await page.waitForTimeout(2500);
  const path = Number(await page.$eval('#lon', (el) => el.dataset.path));
  figures.lonNodes = nodes;
  figures.lonPathOptima = path;
  assert.ok(path >= 1, 'the run visited at least one local optimum of its own proxy');
  await page.screenshot({ path: join(shots, 'landscape-synflow-mlon.png') });
  // A rugged landscape (on the synthetic table): training loss after 200 epochs, full LON.
  await page.selectOption('select[name=metric]', 'train_loss@200');
  await page.selectOption('select[name=kind]', 'lon');
  await page.waitForFunction(() => Number(document.querySelector('#lon')?.dataset.nodes) > 1, null, { timeout: 60_000 });
  await page.waitForTimeout(4000);
  const canvas = await page.$('#lon canvas');
  assert.ok(canvas, 'sigma draws into a canvas');
  await page.mouse.click(...(await nodeCentre(page)));
  await page.waitForFunction(() => document.querySelector('#lon-cell')?.dataset.arch !== undefined, null, { timeout: 10_000 });
  await page.screenshot({ path: join(shots, 'landscape-valacc-lon.png') });
  await page.close();
});

/** Screen coordinates of a LON node (the global optimum), from the page's sigma instance. */
async function nodeCentre(page) {
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

test('the cell view draws the clicked architecture', async () => {
  const page = await open('?dataset=synthetic&seed=7&speed=max');
  await page.waitForSelector('body[data-ready]');
  await playToEnd(page);
  await page.click('.rung .entry.promoted');
  await page.waitForFunction(() => document.querySelector('#cell')?.dataset.arch !== undefined);
  const s = await page.$eval('#cell-info .arch-string', (el) => el.dataset.archString);
  assert.match(s, /^\|.+~0\|\+\|.+~0\|.+~1\|\+\|.+~0\|.+~1\|.+~2\|$/);
  await page.screenshot({ path: join(shots, 'run-bracket-cell.png'), fullPage: true });
  await page.close();
});

test('the same URL replays the same run', async () => {
  const page = await open('?dataset=synthetic&algo=ls&seed=11&speed=max');
  await page.waitForSelector('body[data-ready]');
  const first = await playToEnd(page);
  const url = page.url();
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  const second = await playToEnd(page);
  assert.deepEqual(second, first);
  await page.close();
});

test('results and figures export as JSON, CSV, SVG and PNG', async () => {
  const page = await open('?dataset=synthetic&seed=7&speed=max');
  await page.waitForSelector('body[data-ready]');
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

test('presentation mode hides the controls', async () => {
  const page = await open('?dataset=synthetic&seed=7&present=1&speed=max');
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.isVisible('#controls'), false);
  await page.keyboard.press(' ');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  await page.screenshot({ path: join(shots, 'presentation.png') });
  await page.close();
});

test('an unknown URL parameter value gives a clear message, not a blank page', async () => {
  const page = await open('?dataset=mnist&algo=magic&seed=-3&colour=red');
  const text = await page.textContent('#messages');
  assert.match(text, /dataset=mnist is not one of/);
  assert.match(text, /algo=magic is not one of/);
  assert.match(text, /seed=-3 must be a whole number/);
  assert.match(text, /Unknown URL parameter "colour"/);
  await page.screenshot({ path: join(shots, 'error-url.png') });
  await page.close();
});

test('a bad table file gives a clear message', async () => {
  const page = await ctx.newPage();
  await page.route('**/tables/manifest.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ 'nb201-cifar10.mfnt': { bytes: 16, sha256: '00'.repeat(32) } }) }));
  await page.route('**/tables/nb201-cifar10.mfnt', (r) => r.fulfill({ contentType: 'application/octet-stream', body: Buffer.from('not a table at all') }));
  await page.goto(`${base}?dataset=cifar10`);
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  const text = await page.textContent('#messages');
  assert.match(text, /Could not load the table/);
  assert.equal(await page.$eval('#status', (el) => el.dataset.state), 'error');
  await page.screenshot({ path: join(shots, 'error-table.png') });
  // The offered way out works.
  await page.click('.message.error button:has-text("synthetic")');
  await page.waitForSelector('body[data-ready]');
  await page.close();
});

test('a table file that is not on the server gives a clear message', async () => {
  const page = await ctx.newPage();
  await page.route('**/tables/manifest.json', (r) => r.fulfill({ contentType: 'application/json', body: '{}' }));
  await page.goto(`${base}?dataset=cifar100`);
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /is not on this server/);
  await page.close();
});

test('an engine panic is reported and the engine can be restarted', async () => {
  const page = await open('?dataset=synthetic&debug=panic');
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /engine stopped:[\s\S]*deliberate panic/);
  await page.screenshot({ path: join(shots, 'error-panic.png') });
  await page.click('.message.error button:has-text("Restart")');
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'ready', null, { timeout: 30_000 });
  await page.close();
});

test('a worker whose engine cannot start gives a clear message', async () => {
  const page = await ctx.newPage();
  await page.route('**/*.wasm', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${base}?dataset=synthetic`);
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /engine/i);
  await page.screenshot({ path: join(shots, 'error-worker.png') });
  await page.close();
});
