// Shared ground of the end-to-end tests (one file per concern: run, views, errors, layout,
// a11y, tables, limits, perf, deploy). Each test file calls `useBrowser()` once; it serves
// the built page (dist/) with `vite preview` and drives Debian's chromium with playwright-core.
// Run `npm run build` first (scripts/test-web.sh does it all).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { preview } from 'vite';
import { chromium } from 'playwright-core';

export const www = join(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = join(www, '..');
export const shots = join(www, 'e2e', 'screenshots');
export const results = join(www, 'e2e', 'results');
mkdirSync(shots, { recursive: true });
mkdirSync(results, { recursive: true });

/** The viewports every view is looked at in. */
export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  projector: { width: 1280, height: 720 },
  desktop: { width: 1440, height: 1000 },
};

/** The views of the registry, in tab order (kept in sync by the layout test, which reads the tabs). */
export const VIEW_IDS = ['chapters', 'run', 'landscape', 'experiment', 'cell'];

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  // WebGL (sigma.js) on machines without a GPU.
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  // Memory figures of the limits test: exact heap sizes and a gc() to call before reading them.
  '--enable-precise-memory-info', '--js-flags=--expose-gc',
];

/** Whether the packed table `file` is in dist/ (tables are never committed; scripts/serve.sh packs them). */
export function haveTable(file = 'nb201-cifar10.mfnt') {
  const manifest = join(www, 'dist', 'tables', 'manifest.json');
  return existsSync(manifest) && file in JSON.parse(readFileSync(manifest, 'utf8'));
}

/** The packed tables in dist/, by dataset name as the page's menu offers them. */
export function packedDatasets() {
  const manifest = join(www, 'dist', 'tables', 'manifest.json');
  if (!existsSync(manifest)) return [];
  const files = Object.keys(JSON.parse(readFileSync(manifest, 'utf8')));
  return files.filter((f) => f.startsWith('nb201-')).map((f) => f.replace(/^nb201-/, '').replace(/\.mfnt$/, ''));
}

/** The release command line the end-to-end tests compare the page with. */
export const cliBin = join(repo, 'target', 'release', 'mfnas');

/** Skips the test `t` (saying why) unless the release CLI and the packed cifar10 table are there. */
export function needsCli(t) {
  if (existsSync(cliBin) && haveTable()) return false;
  t.skip(`needs ${cliBin} and the packed cifar10 table in dist/ (scripts/test-web.sh builds both)`);
  return true;
}

/** `mfnas landscape` of `metric` on the packed cifar10 table: its LON as the explorer's JSON. */
export function cliLandscape(metric) {
  const dir = mkdtempSync(join(tmpdir(), 'mfnas-lon-'));
  try {
    const out = join(dir, 'lon.json');
    execFileSync(cliBin, ['landscape', '--dataset', 'cifar10', '--tables', join(www, 'dist', 'tables'), '--metric', metric, '--export', 'json', '--kind', 'lon', '--out', out], { encoding: 'utf8' });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Load average against cores: wall-clock limits are asserted only on a machine that is not busy. */
/**
 * Whether the wall-clock limits (long tasks, time to interactive, seconds per job) are asserted:
 * only when asked with MFNAS_ASSERT_TIMING=1 and the machine is quiet. A shared or virtual
 * machine (CI's two cores) cannot promise them, so by default the figures are measured, recorded
 * in e2e/results/ and printed with `why` they were not asserted -- never passed silently.
 */
export function quiet() {
  const load = Math.round(loadavg()[0] * 10) / 10;
  const cores = cpus().length;
  const asked = process.env.MFNAS_ASSERT_TIMING === '1';
  const why = !asked ? 'timing limits asserted only with MFNAS_ASSERT_TIMING=1' : load > cores ? `machine busy (load ${load} on ${cores} cores)` : '';
  return { quiet: asked && load <= cores, load, cores, why };
}

/** The MF-NAS seed-7 outcome of the native golden fixture (synthetic table, seed 3). */
export function fixtureOutcome(algo = 'mf-nas', seed = 7) {
  const all = JSON.parse(readFileSync(join(repo, 'tests', 'data', 'parity_synthetic3.json'), 'utf8'));
  return all.find((d) => d.algo === algo && d.seed === seed).outcome;
}

export const axeSource = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * How the test browser composites the page, where the machine has no GPU:
 * - 'gpu' (the default): on the emulated GPU (SwiftShader), as on a machine with a GPU. WebGL
 *   frames (the Landscape network, sigma.js) go to the compositor as textures.
 * - 'software': in software, as Chrome does on a machine without a usable GPU. The files that
 *   judge the 2D views' main thread in wall-clock time use it: compositing through SwiftShader
 *   takes both cores here, and tasks of 12-20 ms of CPU then took 40-115 ms of wall time.
 *   In this mode every WebGL frame is read back on the main thread (100-240 ms per frame of a
 *   large network on SwiftShader), so the network's layout is judged with 'gpu'.
 */
export const COMPOSITING_ARGS = { gpu: [], software: ['--disable-gpu-compositing'] };

/**
 * Starts the server and the browser for the calling test file; returns the handle tests use.
 * `compositing`: see COMPOSITING_ARGS.
 * `figures` recorded by a file are written to e2e/results/<file>.json at the end.
 */
export function useBrowser(file, { serve = 'preview', compositing = 'gpu' } = {}) {
  const name = basename(file).replace(/\.test\.mjs$/, '');
  const compositingArgs = COMPOSITING_ARGS[compositing];
  assert.ok(compositingArgs, `compositing is 'gpu' or 'software', not ${compositing}`);
  const h = {
    base: '',
    ctx: null,
    figures: {},
    record(key, value) {
      h.figures[key] = value;
    },
    /** Opens the page at `query` in a new tab of the given viewport; page errors are collected. */
    async open(query = '', { viewport = VIEWPORTS.desktop, base } = {}) {
      const page = await h.ctx.newPage();
      await page.setViewportSize(viewport);
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(String(e)));
      await page.goto(`${base ?? h.base}${query}`);
      return page;
    },
    async shot(page, shotName, opts = {}) {
      await page.screenshot({ path: join(shots, `${shotName}.png`), ...opts });
    },
  };
  let server;
  let profile;
  before(async () => {
    assert.ok(existsSync(join(www, 'dist', 'index.html')), 'build the page first: npm run build');
    if (serve === 'preview') {
      server = await preview({ root: www, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
      h.base = server.resolvedUrls.local[0];
    }
    profile = mkdtempSync(join(tmpdir(), `mfnas-e2e-${name}-`));
    h.ctx = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      viewport: VIEWPORTS.desktop,
      args: [...CHROMIUM_ARGS, ...compositingArgs],
    });
  });
  after(async () => {
    if (Object.keys(h.figures).length) {
      writeFileSync(join(results, `${name}.json`), JSON.stringify(h.figures, null, 2) + '\n');
      console.log(`${name} figures:`, JSON.stringify(h.figures));
    }
    await h.ctx?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });
  return h;
}

/** The most CPU time one main-thread task may take, asserted on any machine (see `traceMainThread`). */
export const TASK_CPU_LIMIT_MS = 50;

/**
 * Runs `action` while Chrome traces the renderer's main thread, and returns what `action`
 * returned with the longest task's CPU time and wall time (ms) and how many tasks took more than
 * TASK_CPU_LIMIT_MS of CPU. CPU (thread) time is the page's own work: it grows far less than
 * wall time while other processes hold the cores, so its limit can be asserted on a busy machine
 * (CI's two cores, with the page's workers beside it), where long-task wall times cannot (see
 * measureMainThread for what is left of that growth).
 */
export async function traceMainThread(page, action) {
  const cdp = await page.context().newCDPSession(page);
  const mains = [];
  const tasks = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value) {
      if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mains.push(e);
      // The scheduler's top-level task event ('toplevel' category): wall `dur`, CPU `tdur`, in µs.
      else if (e.name === 'ThreadControllerImpl::RunTask' && e.ph === 'X' && e.dur >= 5_000) tasks.push(e);
    }
  });
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  let result;
  try {
    result = await action();
  } finally {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  const onMain = tasks.filter((e) => mains.some((m) => m.pid === e.pid && m.tid === e.tid));
  const ms = (us) => Math.round((us ?? 0) / 100) / 10;
  const longestCpuMs = Math.max(0, ...onMain.map((e) => ms(e.tdur)));
  const longestWallMs = Math.max(0, ...onMain.map((e) => ms(e.dur)));
  const overCpuLimit = onMain.filter((e) => ms(e.tdur) >= TASK_CPU_LIMIT_MS).length;
  return { result, mainThread: { longestCpuMs, longestWallMs, overCpuLimit } };
}

/**
 * Runs `measure` (a scenario that opens its own page and returns `{ mainThread, page? }`, the
 * first from `traceMainThread`) and, when one of its tasks took TASK_CPU_LIMIT_MS of CPU or
 * more, runs it once more on a fresh page and keeps the attempt whose longest task took less.
 * CPU time grows far less than wall time while other processes hold the cores, but on a shared
 * two-core VM it still grows: a training redraw that takes 9-11 ms of CPU once measured 59.5 ms
 * while a build ran beside the tests. Noise only adds time, so a page whose task really takes
 * that long fails both attempts; the first attempt's figure is said in the test's output and
 * kept as `firstLongestCpuMs`. The page of the attempt not kept is closed.
 */
export async function measureMainThread(t, key, measure) {
  const first = await measure();
  if (first.mainThread.overCpuLimit === 0) return first;
  t.diagnostic(`${key}: a main-thread task took ${first.mainThread.longestCpuMs} ms of CPU; measuring the scenario once more on a fresh page`);
  const second = await measure();
  const [kept, dropped] = second.mainThread.longestCpuMs <= first.mainThread.longestCpuMs ? [second, first] : [first, second];
  await dropped.page?.close();
  kept.mainThread.firstLongestCpuMs = first.mainThread.longestCpuMs;
  return kept;
}

/** The page's own main-thread figures (`window.__mfnasPerf`, www/src/perf.ts): long tasks, our longest work. */
export const pagePerf = (page) => page.evaluate(() => ({ ...globalThis.__mfnasPerf.figures }));
export const resetPagePerf = (page) => page.evaluate(() => globalThis.__mfnasPerf.reset());

/**
 * Records a scenario's main-thread figures under `key`: the page's own (`f`, see pagePerf) and
 * the trace's (`mainThread`, see traceMainThread). Every task's CPU time is asserted always,
 * the long tasks' wall time only on a quiet machine (see `quiet`).
 */
export function judgeMainThread(h, key, f, mainThread) {
  const q = quiet();
  h.record(key, { longestTaskMs: Math.round(f.longestTaskMs), longTasks: f.longTasks, longestWorkMs: Math.round(f.longestWorkMs * 10) / 10, worst: f.worst, ...mainThread, load: q.load });
  assert.equal(mainThread.overCpuLimit, 0, `${key}: ${mainThread.overCpuLimit} main-thread tasks took ${TASK_CPU_LIMIT_MS} ms of CPU or more, the longest ${mainThread.longestCpuMs} ms`);
  if (!q.quiet) {
    console.log(`${q.why}: main-thread figures of ${key} reported, not asserted: ${f.longTasks} long tasks, the longest ${Math.round(f.longestTaskMs)} ms`);
    return;
  }
  assert.equal(f.longTasks, 0, `${key}: long tasks, the longest ${f.longestTaskMs} ms`);
  assert.ok(f.longestWorkMs < 50, `${key}: our longest work was ${f.longestWorkMs} ms (${f.worst})`);
}

export async function ready(page, timeout = 30_000) {
  await page.waitForSelector('body[data-ready]', { timeout });
}

/** Plays the run at the URL's speed until its outcome shows; returns the outcome's data. */
export async function playToEnd(page, timeout = 60_000) {
  await page.click('#play');
  await page.waitForSelector('#outcome:not([hidden])', { timeout });
  return page.$eval('#outcome', (el) => ({ ...el.dataset }));
}

/** Opens a view by its tab and waits until the view module is mounted. */
export async function openView(page, id) {
  await page.click(`[role=tab][data-view=${id}]`);
  await page.waitForFunction((v) => {
    const p = document.querySelector(`#view-${v}`);
    return p && !p.hidden && !p.hasAttribute('aria-busy') && !p.querySelector('.loading-view');
  }, id);
}
