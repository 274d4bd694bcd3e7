// The guided chapters, walked by a scripted student: each chapter is opened from the landing
// page, its question answered and revealed, every number of its prose checked against the
// command line (`mfnas landscape`, `mfnas run`, `mfnas experiment`) or the engine itself (the
// wasm package, in Node, on the same table), its figure checked against the same, and it is
// looked at: screenshots at 1440x1000, 1280x720 and 390x844, nothing wider than the screen,
// axe-core clean, main-thread tasks measured.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, haveTable, repo, www, VIEWPORTS, axeSource, quiet, traceMainThread, measureMainThread, TASK_CPU_LIMIT_MS } from './harness.mjs';

// Composited in software, as Chrome does without a GPU (see COMPOSITING_ARGS in harness.mjs).
const h = useBrowser(import.meta.url, { compositing: 'software' });
const DATASET = haveTable() ? 'cifar10' : 'synthetic';
const BIN = join(repo, 'target', 'release', 'mfnas');
const TABLES = join(www, 'dist', 'tables');
const SEED = 1;
const RUNS = 100;
/** The synthetic table's seed (as the page's SYNTHETIC_SEED) and its budget (the page's FALLBACK_BUDGET_S). */
const SYNTHETIC = ['--dataset', 'synthetic', '--budget', '20000'];

// ---- what the command line and the engine say -------------------------------------------

const tmp = mkdtempSync(join(tmpdir(), 'mfnas-chapters-'));
const data = DATASET === 'synthetic' ? SYNTHETIC : ['--dataset', DATASET, '--tables', TABLES];
const cli = (...args) => JSON.parse(execFileSync(BIN, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
/** Each command runs once per test file (several chapters ask the same). */
const once = (f) => {
  const done = new Map();
  return (...args) => {
    const key = JSON.stringify(args);
    if (!done.has(key)) done.set(key, f(...args));
    return done.get(key);
  };
};
const landscape = once((metric) =>
  cli('landscape', '--metric', metric, '--format', 'json', ...(DATASET === 'synthetic' ? ['--synthetic', '3'] : ['--dataset', DATASET, '--tables', TABLES])),
);
const run = once((algo, extra = []) => {
  const events = join(tmp, `${algo}-${SEED}-${extra.join('_')}.jsonl`);
  const out = cli('run', '--algo', algo, '--seed', String(SEED), '--events', events, '--force', '--format', 'json', ...data, ...extra);
  return { out, events: readFileSync(events, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) };
});
const experiment = once((algo, extra = []) => {
  const file = join(tmp, `${algo}-${extra.join('_')}-exp.json`);
  const summary = cli('experiment', '--algo', algo, '--runs', String(RUNS), '--seed-start', '1', '--format', 'json', '--out', file, '--force', ...data, ...extra);
  return { summary, runs: JSON.parse(readFileSync(file, 'utf8')).runs };
});

let engine = null;
let table = null;
before(async () => {
  if (!existsSync(BIN)) return;
  const { initSync, Session } = await import(join(repo, 'pkg', 'mfnas.js'));
  initSync({ module: readFileSync(join(repo, 'pkg', 'mfnas_bg.wasm')) });
  engine = new Session();
  table = DATASET === 'synthetic' ? engine.loadSyntheticTable(3) : engine.loadTable(readFileSync(join(TABLES, `nb201-${DATASET}.mfnt`)));
});

const needs = (t) => {
  if (existsSync(BIN) && engine) return true;
  t.skip(`needs ${BIN} (cargo build --release) and pkg/ (scripts/build-web.sh): the chapters' numbers are checked against them`);
  return false;
};
const present = (vs) => vs.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
const value = (arch, column) => arch.values.find((v) => v.name === column)?.value ?? null;

// ---- the student's moves -----------------------------------------------------------------

const perf = (page) => page.evaluate(() => ({ ...globalThis.__mfnasPerf.figures }));

/** Opens the landing page (the bare address) and, if the table is not cifar10, picks it. */
async function landing(viewport = VIEWPORTS.desktop) {
  const page = await h.open('', { viewport });
  await page.waitForSelector('#view-chapters .chapter-question .predict', { timeout: 60_000 });
  if (DATASET !== 'cifar10') {
    await page.selectOption('select[name=chapter-dataset]', DATASET);
    await page.waitForFunction((d) => document.querySelector('#table-title')?.textContent?.includes(d === 'synthetic' ? 'ynthetic' : d), DATASET);
    await page.waitForSelector('#view-chapters .chapter-question .predict', { timeout: 60_000 });
  }
  return page;
}

/** The main thread while each chapter opened, by chapter id (see `enterFromLanding`). */
const opening = {};

/**
 * Clicks the chapter in the chapter list and waits until its prose (with its question) is
 * written, then a little longer for its figure to settle; returns the main thread's figures of
 * that opening.
 */
async function enter(page, id) {
  await page.evaluate(() => globalThis.__mfnasPerf.reset());
  const { mainThread } = await traceMainThread(page, async () => {
    await page.click(`.chapter-nav a[data-chapter="${id}"]`);
    await page.waitForSelector(`#view-chapters[data-chapter="${id}"] .chapter-question .predict`, { timeout: 120_000 });
    await page.waitForTimeout(1500);
  });
  assert.match(page.url(), new RegExp(`chapter=${id}`));
  return { ...(await perf(page)), mainThread, load: quiet().load };
}

/**
 * Opens chapter `id` from a fresh landing page and keeps the figures of that opening; an
 * opening with a task over the CPU limit is measured once more from another landing page
 * (measureMainThread). Returns the page of the attempt kept, at the chapter. The test computes
 * its expected numbers (command line, engine) only after this: those processes take the
 * machine's cores, and their load is not the page's.
 */
async function enterFromLanding(t, id) {
  const { page, ...figures } = await measureMainThread(t, `chapter ${id}`, async () => {
    const page = await landing();
    return { ...(await enter(page, id)), page };
  });
  opening[id] = figures;
  return page;
}

/** Picks option `pick` (or the first), reveals, and returns the engine's answer. */
async function answer(page, pick = null) {
  const options = await page.$$eval('.predict label.option', (ls) => ls.map((l) => l.dataset.option));
  const chosen = pick ?? options[0];
  assert.equal(await page.isDisabled('.predict .reveal-button'), true, 'nothing is revealed before a prediction');
  await page.check(`.predict label.option[data-option="${chosen}"] input`);
  await page.click('.predict .reveal-button');
  await page.waitForSelector('.predict[data-revealed]', { timeout: 180_000 });
  const revealed = await page.$eval('.predict', (p) => ({ correct: p.dataset.revealed, picked: p.dataset.picked, verdict: p.querySelector('.verdict')?.textContent ?? '' }));
  assert.equal(revealed.picked, chosen);
  assert.match(revealed.verdict, chosen === revealed.correct ? /Right/ : /Not quite/);
  assert.ok(options.includes(revealed.correct));
  const marked = await page.$eval('.predict label.option.correct', (l) => [l.dataset.option, l.textContent]);
  assert.equal(marked[0], revealed.correct);
  assert.match(marked[1], /✓ the answer/, 'the answer is marked by a glyph and words, not colour alone');
  return revealed.correct;
}

/** Every fact of the prose, by key. */
async function facts(page) {
  const list = await page.$$eval('#view-chapters .chapter .fact', (els) => els.map((e) => ({ key: e.dataset.fact, value: Number(e.dataset.value), text: e.textContent })));
  const byKey = {};
  for (const f of list) {
    if (f.key in byKey) assert.equal(byKey[f.key].value, f.value, `fact ${f.key} is stated twice with two values`);
    byKey[f.key] = f;
  }
  return byKey;
}

/**
 * Every fact on the page is one the test knows, equal to the expected number (to 1e-9), and
 * shown as that number (rounded as written).
 */
function checkFacts(found, expected, what) {
  assert.deepEqual(Object.keys(found).sort(), Object.keys(expected).sort(), `${what}: the prose states exactly the numbers the test checks`);
  for (const [key, want] of Object.entries(expected)) {
    const f = found[key];
    assert.ok(Math.abs(f.value - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${what}: ${key} is ${f.value}, the command line or engine says ${want}`);
    const m = /^([+−-]?)([\d,]+(?:\.(\d+))?)(?: %| s| GPU-days)?$/.exec(f.text.trim());
    if (m) {
      const shown = Number(m[2].replace(/,/g, '')) * (m[1] === '−' || m[1] === '-' ? -1 : 1);
      const half = 0.5 * 10 ** -(m[3]?.length ?? 0);
      assert.ok(Math.abs(shown - want) <= half + 1e-9, `${what}: ${key} reads "${f.text}" for ${want}`);
    }
  }
}

async function noOverflow(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: the page is ${scroll} px wide on a ${width} px screen`);
}

async function axe(page, what) {
  await page.addScriptTag({ content: axeSource() });
  const found = await page.evaluate(async () => {
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(found, [], `axe-core on ${what}`);
}

/** Looks at the chapter: screenshots in the three viewports, nothing too wide, axe-core; records the main thread. */
async function lookAt(page, n, id) {
  const f = opening[id] ?? (await perf(page));
  const q = quiet();
  h.record(`chapter_${id}`, { longestTaskMs: Math.round(f.longestTaskMs), longTasks: f.longTasks, longestWorkMs: Math.round(f.longestWorkMs * 10) / 10, worst: f.worst, ...f.mainThread, load: f.load ?? q.load });
  // CPU time is asserted on any machine (see traceMainThread), wall time only on a quiet one.
  if (f.mainThread) assert.equal(f.mainThread.overCpuLimit, 0, `chapter ${id}: main-thread tasks took ${TASK_CPU_LIMIT_MS} ms of CPU or more while it opened, the longest ${f.mainThread.longestCpuMs} ms`);
  if (q.quiet) assert.equal(f.longTasks, 0, `chapter ${id}: long tasks while it opened, the longest ${f.longestTaskMs} ms`);
  else console.log(`${q.why}: chapter ${id}: ${f.longTasks} long tasks while it opened, the longest ${Math.round(f.longestTaskMs)} ms, not asserted`);
  await axe(page, `chapter ${id}`);
  for (const [name, viewport] of [['desktop', VIEWPORTS.desktop], ['projector', VIEWPORTS.projector], ['phone', VIEWPORTS.phone]]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(600);
    await noOverflow(page, `chapter ${id} (${name})`);
    await h.shot(page, `chapter-${n}-${id}-${name}`, { fullPage: name !== 'projector' });
  }
  await page.setViewportSize(VIEWPORTS.desktop);
}

// ---- the walk ----------------------------------------------------------------------------

test('the bare address is the first chapter, with the cell already walking; the explorer is one click away', async () => {
  const page = await landing();
  await page.waitForURL(/view=chapters/);
  assert.equal(await page.getAttribute('[role=tab][data-view=chapters]', 'aria-selected'), 'true');
  assert.equal(await page.isVisible('#controls'), false, 'the chapters have their own pickers, not the settings panel');
  const first = await page.getAttribute('.walk-cell', 'data-arch');
  await page.waitForFunction((a) => document.querySelector('.walk-cell')?.dataset.arch !== a, first, { timeout: 10_000 });
  assert.equal(await page.getAttribute('.walk-play', 'aria-pressed'), 'true', 'the walk can be paused');
  await page.click('[role=tab][data-view=run]');
  await page.waitForSelector('#view-run:not([hidden]) #trajectory');
  await page.waitForURL((url) => !/view=chapters/.test(url.search));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the explorer at its defaults has an address of its own, never the landing page', async () => {
  const page = await h.open('?view=run');
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('[role=tab][data-view=run]', 'aria-selected'), 'true');
  assert.match(page.url(), /\?view=run$/);
  await page.close();
});

test('a chapter that does not exist is said in words, and the first chapter shown', async () => {
  const page = await h.open('?view=chapters&chapter=nope&dataset=synthetic');
  await page.waitForSelector('#view-chapters[data-chapter="cell"]');
  assert.match(await page.textContent('#messages'), /chapter=nope is not a chapter/);
  await page.close();
});

test('chapter 1: the walk shows the engine\'s numbers of each cell; the prose and the answer are the engine\'s', async (t) => {
  if (!needs(t)) return;
  const page = await landing();
  const test = landscape('test_acc@200');
  const times = present(engine.spaceMap('train_time_per_epoch').values);
  const accs = present(engine.spaceMap('test_acc@200').values);
  await page.click('.walk-play');
  // The cell and its numbers are read in one go: the walk moves on every 2.5 s, and a slow
  // machine could otherwise read one cell and the next one's numbers.
  await page.waitForFunction(() => document.querySelector('.walk-cell')?.dataset.arch && document.querySelectorAll('.walk-numbers tr[data-column]').length >= 4, null, { timeout: 30_000 });
  const { key, rows } = await page.evaluate(() => ({
    key: Number(document.querySelector('.walk-cell').dataset.arch),
    rows: [...document.querySelectorAll('.walk-numbers tr[data-column]')].map((r) => [r.dataset.column, r.dataset.value]),
  }));
  const cell = engine.arch(key);
  assert.ok(rows.length >= 4, `the walk shows ${rows.length} numbers`);
  for (const [column, shown] of rows) assert.equal(shown === '' ? null : Number(shown), value(cell, column), `${column} of cell ${key}`);
  // The figure shows what the prose says: a cell has as many neighbours as the engine gives.
  const neighbours = engine.neighbours(key).length;
  const gpuDays = (times.reduce((a, b) => a + b, 0) * 200) / 86_400;
  const correct = await answer(page, 'week');
  const ranges = [['week', 7], ['months', 91], ['years', 1096], ['more', Infinity]];
  assert.equal(correct, ranges.find(([, below]) => gpuDays < below)[0]);
  const mid = accs.length >> 1;
  checkFacts(
    await facts(page),
    {
      edges: cell.edges.length,
      nodes: Math.max(...cell.edges.map((e) => e.to)) + 1,
      fullEpochs: 200,
      fullAgain: 200,
      fullThird: 200,
      ops: engine.spaceMap('test_acc@200').op_order.length,
      cells: test.n_archs,
      cellsAgain: test.n_archs,
      bestTest: test.best_fitness,
      medianTest: accs.length % 2 ? accs[mid] : (accs[mid - 1] + accs[mid]) / 2,
      worstTest: accs[0],
      neighbours,
      fastestTrain: times[0] * 200,
      slowestTrain: times[times.length - 1] * 200,
      gpuDays,
      cellTrain: value(cell, 'train_time_per_epoch') * 200,
    },
    'chapter 1',
  );
  await lookAt(page, 1, 'cell');
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** `mfnas landscape --export json --kind lon` of a metric: its scored optima, ascending. */
function scoredOptima(metric) {
  const out = join(tmp, `lon-${metric.replace(/[^a-z0-9]/gi, '_')}.json`);
  execFileSync(BIN, ['landscape', '--metric', metric, '--export', 'json', '--kind', 'lon', '--out', out, ...(DATASET === 'synthetic' ? ['--synthetic', '3'] : ['--dataset', DATASET, '--tables', TABLES])], { encoding: 'utf8' });
  return JSON.parse(readFileSync(out, 'utf8')).nodes.filter((n) => n.fitness !== null && n.fitness !== undefined).map((n) => n.id).sort((a, b) => a - b);
}

test('chapter 2: the inspector shows the engine\'s comparisons; the answer moves it to the first escape of `mfnas run`', async (t) => {
  if (!needs(t)) return;
  const page = await enterFromLanding(t, 'hill-climbing');
  const ls = run('ls');
  const compared = ls.events.filter((e) => e.type === 'compared');
  const objective = ls.events.find((e) => e.type === 'evaluated').objective;
  const land = landscape(objective);
  const escape = compared.findIndex((c) => c.verdict === 'escape');
  assert.ok(escape > 0, 'local search escapes within its budget on this seed');
  let since = escape;
  while (since > 0 && compared[since - 1].from === compared[escape].from) since--;
  const tried = new Set(compared.slice(since, escape).map((c) => c.to)).size;
  // The evaluation count when the escape is decided: the last evaluation before its comparison.
  const at = ls.events.indexOf(compared[escape]);
  const escapeEval = ls.events.slice(0, at).filter((e) => e.type === 'evaluated' && e.charged).pop().evals;
  // The figure follows the live run: step it and the inspector shows the engine's comparison.
  await page.click('#step');
  await page.click('#step');
  await page.waitForSelector('.fig-inspector[data-step]');
  const first = await page.$eval('.fig-inspector', (f) => ({ ...f.dataset, badge: f.querySelector('.badge')?.textContent ?? '' }));
  const e0 = compared[Number(first.step)];
  assert.deepEqual([first.verdict, Number(first.from), Number(first.to)], [e0.verdict, e0.from, e0.to]);
  assert.match(first.badge, new RegExp(e0.verdict));
  const correct = await answer(page, 'edges');
  assert.equal(correct, tried === 24 ? 'all' : 'other');
  await page.waitForFunction((k) => document.querySelector('.fig-inspector')?.dataset.step === String(k), escape, { timeout: 60_000 });
  const shown = await page.$eval('.fig-inspector', (f) => ({ ...f.dataset, badge: f.querySelector('.badge')?.textContent ?? '', diff: f.querySelector('.insp-diff strong')?.textContent ?? '' }));
  const e = compared[escape];
  assert.deepEqual([shown.verdict, Number(shown.from), Number(shown.to)], ['escape', e.from, e.to], 'the inspector shows the escape the answer speaks of');
  assert.match(shown.badge, /escape/);
  if (e.difference !== null && e.difference !== undefined) assert.equal(Number(shown.difference), e.difference);
  const start = compared[0].from;
  checkFacts(
    await facts(page),
    {
      epochs: Number(/@(\d+)/.exec(objective)[1]),
      neighbours: engine.neighbours(start).length,
      optima: land.n_optima,
      cells: land.n_archs,
      largestBasin: land.largest_basin,
      seed: SEED,
      seedAgain: SEED,
      moves: compared.filter((c) => c.verdict === 'accepted').length,
      escapes: compared.filter((c) => c.verdict === 'escape').length,
      lsTest: ls.out.test_acc,
      bestTest: landscape('test_acc@200').best_fitness,
      triedBeforeEscape: tried,
      optimumScore: e.before,
      escapeEval,
    },
    'chapter 2',
  );
  await lookAt(page, 2, 'hill-climbing');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('chapter 3: the maps mark exactly the optima of `mfnas landscape` for the proxy and for test accuracy; the prose is its numbers', async (t) => {
  if (!needs(t)) return;
  const page = await enterFromLanding(t, 'proxies');
  const proxy = landscape('zc:synflow');
  const test = landscape('test_acc@200');
  for (const [metric, summary] of [['zc:synflow', proxy], ['test_acc@200', test]]) {
    await page.waitForSelector(`.map-panel[data-metric="${metric}"]`, { timeout: 60_000 });
    const panel = await page.$eval(`.map-panel[data-metric="${metric}"]`, (p) => ({ ...p.dataset }));
    assert.deepEqual(panel.optima.split(',').map(Number).sort((a, b) => a - b), scoredOptima(metric), `${metric}: the optima marked`);
    assert.deepEqual(panel.global.split(',').map(Number), summary.global_optima, `${metric}: the global optima ringed`);
  }
  const gap = test.best_fitness - proxy.global_optima_mean_test_acc;
  const correct = await answer(page, 'far');
  assert.equal(correct, gap < 1e-9 ? 'same' : gap < 0.5 ? 'close' : gap < 2 ? 'some' : 'far');
  checkFacts(
    await facts(page),
    {
      cells: test.n_archs,
      proxyScored: proxy.n_archs - proxy.n_missing,
      proxyMissing: proxy.n_missing,
      proxyOptima: proxy.n_optima,
      proxyBasin: proxy.largest_basin,
      testOptima: test.n_optima,
      spearman: proxy.spearman,
      bestTest: test.best_fitness,
      proxyBestTest: proxy.global_optima_mean_test_acc,
      gap,
      top: proxy.top1_k,
      overlap: proxy.top1_overlap,
      topAgain: test.top1_k,
    },
    'chapter 3',
  );
  await lookAt(page, 3, 'proxies');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('chapter 4: the bracket\'s cut-offs are the engine\'s promotions; the prose and the answer are `mfnas run` and 100 seeds of the engine', async (t) => {
  if (!needs(t)) return;
  const page = await enterFromLanding(t, 'halving');
  const sh = run('sh');
  // The figure: played to its end, every round's cut-off and kept count are the engine's.
  await page.click('#finish');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('.fig-bracket .rung').length >= 2);
  const rungs = await page.$$eval('.fig-bracket .rung', (list) => list.map((r) => ({ ...r.dataset })));
  const started = sh.events.filter((e) => e.type === 'rung_started');
  assert.equal(rungs.length, started.length);
  for (const r of rungs) {
    const promoted = sh.events.filter((e) => e.type === 'promoted' && e.rung === Number(r.rung));
    assert.equal(Number(r.of), started[Number(r.rung)].candidates.length);
    assert.equal(Number(r.kept), promoted.length);
    assert.equal(Number(r.cutoff), Math.min(...promoted.map((e) => e.score)));
  }
  const correct = await answer(page, 'always');
  // 100 seeds of the engine (the command line's per-run output has no candidate ranks).
  const params = { algo: 'sh', ...(DATASET === 'synthetic' ? { budget_s: 20_000 } : { budget_s: table.default_budget_s }) };
  engine.startExperiment([params], 1, RUNS);
  let p;
  do p = engine.experimentStep(1000);
  while (!p.finished);
  const outcomes = p.entries[0].outcomes;
  const cliRuns = experiment('sh').runs;
  assert.deepEqual(outcomes.map((o) => o.test_acc), cliRuns.map((o) => o.test_acc), 'the engine in Node runs what the command line runs');
  const best = outcomes.filter((o) => o.rank_among_candidates === 1).length;
  const share = best / RUNS;
  assert.equal(correct, share < 1 / 3 ? 'rarely' : share < 2 / 3 ? 'half' : share < 1 ? 'mostly' : 'always');
  const rounds = started.map((r) => ({
    candidates: r.candidates.length,
    epochs: 0,
  }));
  let k = -1;
  for (const e of sh.events) {
    if (e.type === 'rung_started') k++;
    else if (e.type === 'evaluated' && e.charged) rounds[k].epochs += e.epochs;
    else if (e.type === 'refunded') rounds[k].epochs -= e.epochs;
  }
  const total = rounds.reduce((a, r) => a + r.epochs, 0);
  const full = Number(/^val_acc@(\d+)/.exec(started[started.length - 1].objective)[1]);
  assert.equal(total, sh.out.epochs, 'the rounds add up to the epochs the run was charged');
  const thisRun = engine.wholeRun(params, SEED).outcome;
  checkFacts(
    await facts(page),
    {
      candidates: rounds[0].candidates,
      candidatesAgain: rounds[0].candidates,
      candidatesAsked: rounds[0].candidates,
      ...Object.fromEntries(rounds.map((r, i) => [`round.${i}`, r.candidates])),
      ...Object.fromEntries(rounds.map((r, i) => [`roundEpochs.${i}`, r.epochs])),
      fullEpochs: full,
      shortEpochs: Number(/@(\d+)/.exec(started[0].objective)[1]),
      totalEpochs: total,
      everyone: rounds[0].candidates * full,
      runsAsked: RUNS,
      runs: RUNS,
      bestRuns: best,
      seed: SEED,
      rank: thisRun.rank_among_candidates,
      candidatesThisRun: thisRun.n_candidates,
    },
    'chapter 4',
  );
  await lookAt(page, 4, 'halving');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('chapter 5: MF-NAS against local search, every number from `mfnas run` and `mfnas experiment`', async (t) => {
  if (!needs(t)) return;
  const page = await enterFromLanding(t, 'mf-nas');
  const mf = run('mf-nas', ['--zc', 'synflow']);
  const ls = run('ls');
  const stage2 = mf.events.findIndex((e) => e.type === 'stage_started' && e.stage === 2);
  const stage1 = mf.events.slice(0, stage2).filter((e) => e.type === 'evaluated' && e.charged).pop();
  // The page's budget: the table's (the paper's), or 20,000 s on the synthetic table.
  const budget = table.default_budget_s ?? 20_000;
  // The figure: the page's run, played to its end, returns the cell the prose speaks of.
  await page.click('#finish');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 120_000 });
  assert.equal(Number(await page.getAttribute('#outcome', 'data-test-acc')), mf.out.test_acc);
  assert.equal(await page.getAttribute('#outcome', 'data-arch-string'), mf.out.arch_string);
  const correct = await answer(page, 'ls');
  const exps = Object.fromEntries(['rs', 'ls', 'sh', 'mf-nas'].map((a) => [a, experiment(a, a === 'mf-nas' ? ['--zc', 'synflow'] : [])]));
  const d = exps['mf-nas'].summary.mean - exps.ls.summary.mean;
  assert.equal(correct, Math.abs(d) <= 0.05 ? 'same' : d > 0 ? 'mf-nas' : 'ls');
  const counts = {};
  for (const r of exps['mf-nas'].runs) counts[r.arch] = (counts[r.arch] ?? 0) + 1;
  checkFacts(
    await facts(page),
    {
      stage1Evals: stage1.evals,
      stage1Cost: stage1.total_s,
      candidates: mf.events.find((e) => e.type === 'rung_started').candidates.length,
      stage2Cost: mf.out.cost_s - stage1.total_s,
      budget,
      seed: SEED,
      mfTest: mf.out.test_acc,
      lsTest: ls.out.test_acc,
      lsCost: ls.out.cost_s,
      runsAsked: RUNS,
      runs: RUNS,
      runsAgain: RUNS,
      sameCell: Math.max(...Object.values(counts)),
      ...Object.fromEntries(Object.entries(exps).flatMap(([a, e]) => [[`mean.${a}`, e.summary.mean], [`std.${a}`, e.summary.std]])),
    },
    'chapter 5',
  );
  await lookAt(page, 5, 'mf-nas');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('chapter 6: the paper beside ours, every number from `mfnas experiment`, `mfnas landscape` and the published table', async (t) => {
  if (!needs(t)) return;
  const page = await enterFromLanding(t, 'paper');
  const synflow = landscape('zc:synflow');
  const algos = ['rs', 'ls', 'sh', 'rea', 'rea-w', 'free-rea', 'mf-nas'];
  const zc = (a) => (a === 'mf-nas' || a === 'rea-w' ? ['--zc', 'synflow'] : []);
  const ours = Object.fromEntries(algos.map((a) => [a, experiment(a, zc(a)).summary]));
  // The figure: the results table shows the command line's means.
  await page.waitForSelector('.chapter-results table.results', { timeout: 120_000 });
  for (const a of algos) {
    const shown = await page.$eval(`.chapter-results tr[data-algo="${a}"] td.ours`, (td) => td.textContent.trim());
    assert.equal(shown, `${ours[a].mean.toFixed(2)} ± ${ours[a].std.toFixed(2)}`, `${a} in the results table`);
  }
  const expected = { runs: RUNS, proxyScored: synflow.n_archs - synflow.n_missing, cells: synflow.n_archs, proxyMissing: synflow.n_missing };
  if (DATASET !== 'synthetic') {
    const paper = cli('reproduce', '--runs', '1', '--format', 'json', '--tables', TABLES).filter((r) => r.dataset === DATASET);
    const names = { rs: 'RS', ls: 'LS', rea: 'REA', 'rea-w': 'REA+W', 'mf-nas': 'MF-NAS (synflow)' };
    const pub = (a) => paper.find((r) => r.algorithm === names[a]).paper_mean;
    const correct = await answer(page);
    const deltas = ['rs', 'ls', 'rea', 'rea-w'].map((a) => ours[a].mean - pub(a));
    const dir = deltas.every((x) => Math.abs(x) <= 0.1) ? 'same' : deltas.every((x) => x > 0.1) ? 'above' : deltas.every((x) => x < -0.1) ? 'below' : 'mixed';
    assert.equal(correct, dir);
    Object.assign(expected, { shortEpochs: 12, shortAgain: 12, shortCharged: 12, fullEpochs: 200 });
    for (const a of Object.keys(names)) Object.assign(expected, { [`ours.${a}`]: ours[a].mean, [`paper.${a}`]: pub(a), [`delta.${a}`]: ours[a].mean - pub(a) });
  } else {
    assert.match(await page.textContent('.chapter-question'), /publishes no numbers/);
  }
  checkFacts(await facts(page), expected, 'chapter 6');
  await lookAt(page, 6, 'paper');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('moving between chapters adds history: Back returns to the previous chapter; a chapter\'s figure opens in the explorer with its settings', async () => {
  const page = await h.open('?view=chapters&dataset=synthetic&seed=7');
  await page.waitForSelector('#view-chapters[data-chapter="cell"] .chapter-question .predict', { timeout: 60_000 });
  await enter(page, 'mf-nas');
  assert.match(page.url(), /seed=7/, 'the seed the reader picked is carried');
  await page.goBack();
  await page.waitForSelector('#view-chapters[data-chapter="cell"]');
  await page.goForward();
  await page.waitForSelector('#view-chapters[data-chapter="mf-nas"]');
  await page.click('.open-explorer');
  await page.waitForSelector('#view-run:not([hidden])');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('view') ?? 'run', 'run', 'the Run view is the explorer\'s default');
  assert.equal(url.searchParams.get('algo') ?? 'mf-nas', 'mf-nas', 'MF-NAS is the default algorithm');
  assert.equal(url.searchParams.get('seed'), '7');
  await page.goBack();
  await page.waitForSelector('#view-chapters:not([hidden])[data-chapter="mf-nas"]');
  await page.close();
  rmSync(tmp, { recursive: true, force: true });
});
