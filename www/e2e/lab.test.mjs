// End-to-end tests of the lab (the second wasm module), in Debian's chromium against the built
// page (`npm run build`; scripts/test-web.sh does it all):
// - the first view loads nothing of the lab;
// - params and FLOPs computed in the page equal the table's for 200 random cells, and synflow
//   ranks 50 cells as the table does (Spearman >= 0.99);
// - the "Real proxies" panel scores a cell in under a second and agrees with `mfnas score`;
// - "Train this cell" lowers the loss in 20 steps, agrees with `mfnas train --steps 20`,
//   answers pause and stop within 200 ms and never blocks the main thread for 50 ms.
// Figures go to e2e/results/lab.json (the README quotes them), screenshots to e2e/screenshots/.
// The comparisons with the command line need a build with `--features companion` (the
// companion tests of scripts/test.sh make one in target/debug); without it they say so and skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { useBrowser, ready, playToEnd, haveTable, quiet, repo, www, VIEWPORTS, traceMainThread, measureMainThread, TASK_CPU_LIMIT_MS } from './harness.mjs';

// Composited in software, as Chrome does without a GPU (see COMPOSITING_ARGS in harness.mjs).
const h = useBrowser(import.meta.url, { compositing: 'software' });
const labFile = join(www, 'dist', 'lab', 'cifar10-lab.bin');
const tableFile = join(www, 'dist', 'tables', 'nb201-cifar10.mfnt');

/** Why wall-clock limits are not asserted now (see `quiet` in harness.mjs), or null. */
function busy() {
  const q = quiet();
  return q.quiet ? null : q.why;
}

/** A command-line build with the companion (`mfnas score`), or null. */
function companionCli() {
  const candidates = [process.env.MFNAS_COMPANION_BIN, join(repo, 'target', 'release', 'mfnas'), join(repo, 'target', 'debug', 'mfnas')].filter(Boolean);
  return candidates.find((bin) => existsSync(bin) && spawnSync(bin, ['score', '--help']).status === 0) ?? null;
}

function needLab(t) {
  if (!existsSync(labFile)) {
    t.skip(`needs the lab image file ${labFile} (scripts/build-lab.sh extracts it from the CIFAR-10 JPEG shards)`);
    return false;
  }
  return true;
}

const tableQuery = () => (haveTable() ? '?dataset=cifar10&algo=mf-nas&zc=synflow&seed=7&speed=max' : '?dataset=synthetic&algo=mf-nas&seed=7&speed=max');

/** Opens the Run view and plays the run to its end, so that the cell panel shows the returned cell. */
async function cellShown(viewport) {
  const page = await h.open(tableQuery(), { viewport });
  await ready(page);
  await playToEnd(page);
  await page.waitForSelector('#cell-info .lab-launch button', { timeout: 10_000 });
  const arch = await page.$eval('#cell-info .arch-string', (el) => el.dataset.archString);
  return { page, arch };
}

/** A plain cell to race against: 1×1 convolutions, pooling and skips, no 3×3 convolution. */
const RIVAL = '|nor_conv_1x1~0|+|skip_connect~0|avg_pool_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_1x1~2|';

const LAB_ASSET = /mfnas_lab|cifar10-lab\.bin|proxies-panel|train-panel|lab-worker|lab-client/i;

test('the first view loads nothing of the lab module', async () => {
  const requests = [];
  const listen = (r) => requests.push(r.url());
  h.ctx.on('request', listen);
  const { page } = await cellShown();
  await page.waitForTimeout(500);
  h.ctx.off('request', listen);
  const lab = requests.filter((u) => LAB_ASSET.test(u));
  h.record('firstViewRequests', requests.length);
  assert.deepEqual(lab, [], `the first view requested ${lab.join(', ')}`);
  assert.ok(requests.some((u) => /mfnas_bg.*\.wasm/.test(u)), 'the engine module was loaded (the test saw the requests)');
  await page.close();
});

/** Ranks with ties averaged. */
function ranks(xs) {
  const idx = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}
function spearman(a, b) {
  const ra = ranks(a);
  const rb = ranks(b);
  const m = (ra.length - 1) / 2;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - m) * (rb[i] - m);
    da += (ra[i] - m) ** 2;
    db += (rb[i] - m) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** The table's published values of the cells `keys` (table keys), read with the engine's own wasm in Node. */
async function tableValues(keys) {
  const mod = await import(join(repo, 'pkg', 'mfnas.js'));
  mod.initSync({ module: readFileSync(join(repo, 'pkg', 'mfnas_bg.wasm')) });
  const s = new mod.Session();
  s.loadTable(readFileSync(tableFile));
  return keys.map((k) => {
    const a = s.arch(k);
    return { arch_string: a.arch_string, values: Object.fromEntries(a.values.map((v) => [v.name, v.value])) };
  });
}

/** Seeded pseudo-random keys 0..15624, distinct. */
function randomKeys(n, seed) {
  let x = seed >>> 0;
  const out = new Set();
  while (out.size < n) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    out.add(x % 15625);
  }
  return [...out];
}

test('params and FLOPs computed in the page equal the table for 200 random cells; synflow ranks 50 cells as the table does', async (t) => {
  if (!needLab(t)) return;
  if (!haveTable()) return t.skip(`needs the packed cifar10 table ${tableFile}`);
  const cells = await tableValues(randomKeys(400, 201));
  const sized = cells.filter((c) => c.values['zc:params'] !== undefined && c.values['zc:flops'] !== undefined).slice(0, 200);
  assert.equal(sized.length, 200, 'the table has params and FLOPs of every cell');
  const page = await h.open(tableQuery());
  await ready(page);
  const computed = await page.evaluate(async (archs) => {
    const out = [];
    for (const a of archs) out.push((await globalThis.__mfnasLab.score(a, ['params', 'flops'], 0, 16)).scores);
    return out;
  }, sized.map((c) => c.arch_string));
  let worst = 0;
  sized.forEach((c, i) => {
    const [p, f] = computed[i];
    worst = Math.max(worst, Math.abs(p.score - c.values['zc:params']), Math.abs(f.score - c.values['zc:flops']));
    assert.ok(Math.abs(p.score - c.values['zc:params']) < 1e-9, `params of ${c.arch_string}: page ${p.score}, table ${c.values['zc:params']}`);
    assert.ok(Math.abs(f.score - c.values['zc:flops']) < 1e-6, `FLOPs of ${c.arch_string}: page ${f.score}, table ${f.score}`);
  });
  h.record('sizesCells', sized.length);
  h.record('sizesWorstAbsDiff', worst);
  const scored = cells.filter((c) => c.values['zc:synflow'] !== undefined).slice(0, 50);
  assert.equal(scored.length, 50);
  const t0 = Date.now();
  const synflow = await page.evaluate(async (archs) => {
    const out = [];
    for (const a of archs) out.push((await globalThis.__mfnasLab.score(a, ['synflow'], 0, 16)).scores[0].score);
    return out;
  }, scored.map((c) => c.arch_string));
  const rho = spearman(synflow, scored.map((c) => c.values['zc:synflow']));
  h.record('synflowSpearman50', Math.round(rho * 10000) / 10000);
  h.record('synflowMsPerCell', Math.round((Date.now() - t0) / 50));
  assert.ok(rho >= 0.99, `synflow Spearman ${rho}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the Real proxies panel scores a cell in under a second, beside the table, and agrees with `mfnas score`', async (t) => {
  if (!needLab(t)) return;
  const { page, arch } = await cellShown();
  await page.click('#cell-info .lab-launch button[data-lab=proxies]');
  await page.waitForSelector('.lab-proxies[data-state=done]', { timeout: 60_000 });
  // The first computation includes loading the module; time a second one (the page's steady state).
  await page.click('.lab-proxies .lab-go');
  await page.waitForSelector('.lab-proxies[data-state=computing]');
  await page.waitForSelector('.lab-proxies[data-state=done]', { timeout: 60_000 });
  const ms = Number(await page.$eval('.lab-proxies', (el) => el.dataset.ms));
  const rows = await page.$$eval('.lab-scores tbody tr', (trs) => trs.map((tr) => ({ name: tr.dataset.proxy, score: Number(tr.dataset.score), published: tr.dataset.published === undefined ? null : Number(tr.dataset.published) })));
  h.record('scoreOneCellMs', Math.round(ms));
  h.record('scoreCell', arch);
  h.record('pageScores', rows);
  await h.shot(page, 'lab-proxies');
  await page.setViewportSize(VIEWPORTS.projector);
  await h.shot(page, 'lab-proxies-1280x720');
  await page.setViewportSize(VIEWPORTS.phone);
  await h.shot(page, 'lab-proxies-phone', { fullPage: true });
  assert.deepEqual(rows.map((r) => r.name), ['params', 'flops', 'synflow', 'nwot']);
  if (haveTable()) {
    for (const r of rows.slice(0, 2)) assert.ok(Math.abs(r.score - r.published) < 1e-6, `${r.name}: ${r.score} vs table ${r.published}`);
  }
  assert.deepEqual(page.errors, []);
  await page.close();
  const why = busy();
  if (why) console.log(`${why}: one cell scored in ${ms} ms (reported, not asserted)`);
  else assert.ok(ms < 1000, `one cell took ${ms} ms`);

  const bin = companionCli();
  if (!bin) return t.skip('no `mfnas` with the companion feature (cargo build --features companion) to compare with');
  const cli = JSON.parse(execFileSync(bin, ['score', '--arch', arch, '--seed', '0', '--batch', '16', '--images', labFile, '--format', 'json'], { encoding: 'utf8' }));
  const diffs = {};
  for (const r of rows) {
    const c = cli.scores.find((s) => s.name === r.name).score;
    diffs[r.name] = Math.abs(c - r.score) / Math.max(1, Math.abs(c));
  }
  h.record('pageVsCliRelDiff', diffs);
  assert.equal(diffs.params, 0);
  assert.equal(diffs.flops, 0);
  // Same formulas, weights and images; the float kernels (native SIMD and threads vs wasm
  // SIMD) sum in other orders, so synflow and NASWOT may differ in the last digits.
  assert.ok(diffs.synflow < 1e-6, `synflow page vs CLI ${diffs.synflow}`);
  assert.ok(diffs.nwot < 1e-4, `NASWOT page vs CLI ${diffs.nwot}`);
});

test('Train this cell: 20 steps lower the loss, agree with `mfnas train`, pause and stop answer within 200 ms, the main thread stays free', async (t) => {
  if (!needLab(t)) return;
  const { page, arch, mainThread } = await measureMainThread(t, 'trainMainThread', async () => {
    const { page, arch } = await cellShown();
    await page.click('#cell-info .lab-launch button[data-lab=train]');
    await page.waitForSelector('.lab-train[data-state=idle]');
    await page.evaluate(() => globalThis.__mfnasPerf.reset());
    const { mainThread } = await traceMainThread(page, async () => {
      await page.click('.lab-train .lab-play');
      await page.waitForFunction(() => Number(document.querySelector('.lab-lane[data-lane="0"]')?.dataset.steps) >= 20, null, { timeout: 120_000 });
      await page.click('.lab-train .lab-play'); // pause
      await page.waitForSelector('.lab-train[data-state=paused]', { timeout: 10_000 });
    });
    return { page, arch, mainThread };
  });
  const pauseMs = Number(await page.$eval('.lab-train', (el) => el.dataset.pauseMs));
  const perf = await page.evaluate(() => ({ ...globalThis.__mfnasPerf.figures }));
  const lane = await page.evaluate(() => globalThis.__mfnasLab.panel().lanes()[0]);
  const losses = lane.losses.map(([, l]) => l);
  h.record('trainCell', arch);
  h.record('trainLosses20', losses.slice(0, 20));
  h.record('trainImagesPerSecond', Math.round(lane.imagesPerSecond));
  h.record('pauseMs', pauseMs);
  h.record('trainMainThread', { longestTaskMs: Math.round(perf.longestTaskMs), longTasks: perf.longTasks, longestWorkMs: Math.round(perf.longestWorkMs * 10) / 10, worst: perf.worst, ...mainThread });
  // CPU time on any machine (see traceMainThread); the wall-clock limits below only on a quiet one.
  assert.equal(mainThread.overCpuLimit, 0, `main-thread tasks took ${TASK_CPU_LIMIT_MS} ms of CPU or more while training, the longest ${mainThread.longestCpuMs} ms`);
  await h.shot(page, 'lab-train-paused');
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(losses.slice(15, 20)) < mean(losses.slice(0, 5)), `loss did not fall: ${losses.slice(0, 20).join(', ')}`);
  // Resume, then stop.
  await page.click('.lab-train .lab-play');
  await page.waitForSelector('.lab-train[data-state=playing]');
  await page.waitForTimeout(600);
  await page.click('.lab-train .lab-stop');
  await page.waitForSelector('.lab-train[data-state=stopped]');
  const stopMs = Number(await page.$eval('.lab-train', (el) => el.dataset.stopMs));
  h.record('stopMs', stopMs);
  const why = busy();
  if (why) console.log(`${why}: pause ${pauseMs} ms, stop ${stopMs} ms, longest task ${perf.longestTaskMs} ms (reported, not asserted)`);
  else {
    assert.ok(pauseMs < 200, `pause answered in ${pauseMs} ms`);
    assert.ok(stopMs < 200, `stop answered in ${stopMs} ms`);
    assert.equal(perf.longTasks, 0, `long tasks while training: longest ${perf.longestTaskMs} ms`);
  }
  assert.deepEqual(page.errors, []);

  // Two cells racing on the same images and seed.
  await page.fill('.lab-train input[name=rival]', RIVAL);
  await page.click('.lab-train .lab-play');
  // Both cells finish their first epoch (the plainer rival gets there first).
  await page.waitForFunction(() => [0, 1].every((i) => Number(document.querySelector(`.lab-lane[data-lane="${i}"]`)?.dataset.epochs) >= 1), null, { timeout: 300_000 });
  await page.click('.lab-train .lab-play');
  await page.waitForSelector('.lab-train[data-state=paused]', { timeout: 10_000 });
  const race = await page.evaluate(() => globalThis.__mfnasLab.panel().lanes().map((l) => ({ steps: l.steps, rate: l.imagesPerSecond, val: l.valAcc })));
  h.record('race', race);
  await h.shot(page, 'lab-train-race');
  await page.setViewportSize(VIEWPORTS.projector);
  await h.shot(page, 'lab-train-race-1280x720');
  await page.setViewportSize(VIEWPORTS.phone);
  await h.shot(page, 'lab-train-race-phone', { fullPage: true });
  assert.equal(race.length, 2);
  assert.ok(race.every((l) => l.val.length >= 2), 'both cells validated before training and after epoch 1');
  await page.close();

  const bin = companionCli();
  if (!bin) return t.skip('no `mfnas` with the companion feature (cargo build --features companion) to compare with');
  const out = execFileSync(bin, ['train', '--arch', arch, '--data', labFile, '--channels', '8', '--cells', '1', '--batch-size', '32', '--epochs', '10', '--lr', '0.1', '--seed', '0', '--steps', '20'], { encoding: 'utf8' });
  const cli = [...out.matchAll(/^step (\d+) .* loss ([\d.]+)/gm)].map((m) => Number(m[2]));
  assert.equal(cli.length, 20, out);
  const diff = Math.abs(cli[19] - losses[19]);
  const early = Math.max(...cli.slice(0, 5).map((c, i) => Math.abs(c - losses[i])));
  h.record('trainCliLoss20', cli[19]);
  h.record('trainPageLoss20', losses[19]);
  h.record('trainLoss20AbsDiff', diff);
  h.record('trainFirst5MaxAbsDiff', early);
  // Same images, order, augmentation, initial weights and recipe: the first steps agree to
  // within 1e-4 (seed 1 instead of 0 differs by 0.07 at the first step, so this check alone
  // tells another run apart). The kernels round differently (native AVX2 vs wasm SIMD128) and
  // SGD at learning rate 0.1 on batches of 32 amplifies that, step after step: after 20 steps
  // the two losses were measured 0.012 apart against a release build of the command line and
  // 0.077 apart against the test build (opt-level 1) that scripts/test.sh makes. After 20 steps
  // they must still agree to within 0.15 (7 % of the loss).
  assert.ok(early < 1e-4, `the first 5 steps differ by ${early}: page ${losses.slice(0, 5)}, CLI ${cli.slice(0, 5)}`);
  assert.ok(diff < 0.15, `loss after 20 steps: page ${losses[19]}, CLI ${cli[19]}`);
});
