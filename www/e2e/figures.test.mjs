// The teaching figures show the engine's data, checked against the command line on the same
// packed table: the step inspector's badge and difference are the engine's comparison for that
// step, the bracket's cut-off and kept counts are its promotions, the map marks exactly the
// optima `mfnas landscape` finds, the funnel draws them, the scatter's overlap is the engine's,
// and a second run from the link is drawn on the charts and the map. Screenshots of every view
// at 1440x1000, 1280x720 and 390x844 go to e2e/screenshots/figures-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, ready, playToEnd, openView, VIEWPORTS, www, cliBin as bin, needsCli, cliLandscape } from './harness.mjs';

const h = useBrowser(import.meta.url);
const tables = join(www, 'dist', 'tables');
const RUN = '?dataset=cifar10&algo=mf-nas&zc=synflow&seed=7&speed=max';

/** The event stream of `mfnas run` for the same settings as the page. */
function cliEvents(args) {
  const dir = mkdtempSync(join(tmpdir(), 'mfnas-fig-'));
  try {
    const file = join(dir, 'events.jsonl');
    execFileSync(bin, ['run', '--dataset', 'cifar10', '--tables', tables, '--events', file, '--format', 'json', ...args], { encoding: 'utf8' });
    return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where local search stood after each comparison: the start, then every move and escape. */
function pathLength(events) {
  let n = 0;
  for (const e of events) {
    if (e.type === 'stage_started' && e.stage > 1) break;
    if (e.type === 'compared' && n === 0) n = 1;
    if (e.type === 'moved' || e.type === 'escaped') n++;
  }
  return n;
}

async function inspectorShows(page) {
  return page.$eval('.fig-inspector', (f) => ({ ...f.dataset, badge: f.querySelector('.badge')?.textContent ?? '', diff: f.querySelector('.insp-diff strong')?.textContent ?? '', tried: f.querySelector('.ring-count')?.textContent ?? '' }));
}

test('the step inspector shows the engine’s comparison for the step it is on', async (t) => {
  if (needsCli(t)) return;
  const compared = cliEvents(['--algo', 'mf-nas', '--zc', 'synflow', '--seed', '7']).filter((e) => e.type === 'compared');
  const page = await h.open(RUN.replace('&speed=max', ''));
  await ready(page);
  for (let i = 0; i < 40; i++) await page.click('#step');
  await page.waitForFunction(() => document.querySelector('.fig-inspector')?.dataset.step === '38', null, { timeout: 20_000 });
  const check = async (shown) => {
    const e = compared[Number(shown.step)];
    assert.equal(shown.verdict, e.verdict);
    assert.equal(Number(shown.from), e.from);
    assert.equal(Number(shown.to), e.to);
    assert.match(shown.badge, new RegExp(e.verdict));
    if (e.difference === null) {
      // A cell without a proxy score: no difference, and the page says so.
      assert.equal(shown.difference, '');
      assert.equal(shown.diff, '—');
    } else {
      assert.equal(Number(shown.difference), e.difference);
      // The difference as printed, to the 4 digits shown.
      assert.ok(Math.abs(Number(shown.diff.replace('−', '-').replace('+', '')) - e.difference) < 1e-3 * Math.max(1, Math.abs(e.difference)), `${shown.diff} vs ${e.difference}`);
    }
    // Neighbours tried from this cell so far: this step's run of comparisons from the same cell.
    const i = Number(shown.step);
    let since = i;
    while (since > 0 && compared[since - 1].from === e.from) since--;
    const tried = new Set(compared.slice(since, i + 1).filter((c) => c.verdict !== 'escape').map((c) => c.to)).size;
    assert.match(shown.tried, new RegExp(`^${tried} of 24 tried`));
  };
  await check(await inspectorShows(page));
  await h.shot(page, 'figures-inspector-desktop', { fullPage: true });
  // Browsing back with the keyboard: the earlier step, again the engine's.
  await page.focus('.fig-inspector .fig-body');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.querySelector('.fig-inspector')?.dataset.step === '31');
  await check(await inspectorShows(page));
  // The rest at once; then the first escape and the next accepted move, found with the keys.
  await page.click('#finish');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  const at = (n) => page.waitForFunction((k) => document.querySelector('.fig-inspector')?.dataset.step === String(k), n);
  await page.focus('.fig-inspector .fig-body');
  await page.keyboard.press('End');
  await at(compared.length - 1);
  await check(await inspectorShows(page));
  await page.keyboard.press('Home');
  await at(0);
  await page.keyboard.press('e');
  const escape = compared.findIndex((c) => c.verdict === 'escape');
  await at(escape);
  await check(await inspectorShows(page));
  await h.shot(page, 'figures-inspector-escape');
  await page.keyboard.press('a');
  await at(compared.findIndex((c, k) => k > escape && c.verdict === 'accepted'));
  await check(await inspectorShows(page));
  await h.shot(page, 'figures-inspector-accepted');
  for (const [name, vp] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(400);
    await (await page.$('#inspector-panel')).screenshot({ path: join(www, 'e2e', 'screenshots', `figures-inspector-panel-${name}.png`) });
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the bracket’s cut-offs, kept counts and budget are the engine’s', async (t) => {
  if (needsCli(t)) return;
  const events = cliEvents(['--algo', 'mf-nas', '--zc', 'synflow', '--seed', '7']);
  const page = await h.open(RUN);
  await ready(page);
  const outcome = await playToEnd(page);
  // The bracket is drawn on a timer after the last events: wait until it shows every rung and
  // the whole budget (or time out), then compare, so that a failure prints what was drawn.
  const done = events.find((e) => e.type === 'done');
  const nRungs = events.filter((e) => e.type === 'rung_started').length;
  await page
    .waitForFunction(([n, total]) => document.querySelectorAll('.fig-bracket .rung').length === n && Number(document.querySelector('.fig-bracket .budget')?.dataset.totalS) === total, [nRungs, done.total_s], { timeout: 30_000 })
    .catch(() => {});
  const rungs = await page.$$eval('.fig-bracket .rung', (list) => list.map((r) => ({ ...r.dataset, verdict: r.querySelector('.rung-verdict')?.textContent ?? '' })));
  for (const r of rungs) {
    const rung = Number(r.rung);
    const started = events.find((e) => e.type === 'rung_started' && e.rung === rung);
    const promoted = events.filter((e) => e.type === 'promoted' && e.rung === rung);
    assert.equal(Number(r.of), started.candidates.length);
    assert.equal(Number(r.kept), promoted.length);
    assert.equal(Number(r.cutoff), Math.min(...promoted.map((e) => e.score)));
    assert.equal(r.objective, started.objective);
    assert.match(r.verdict, new RegExp(`^kept ${promoted.length} of ${started.candidates.length} by `));
  }
  assert.equal(rungs.length, nRungs);
  assert.equal(Number(await page.$eval('.fig-bracket .budget', (b) => b.dataset.totalS)), done.total_s);
  assert.equal(Number(outcome.costS), done.total_s);
  for (const [name, vp] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(500);
    await h.shot(page, `figures-run-done-${name}`, { fullPage: true });
  }
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the map marks exactly the optima of `mfnas landscape`, the funnel draws them and the scatter counts the engine’s overlap', async (t) => {
  if (needsCli(t)) return;
  for (const metric of ['val_acc@200', 'zc:synflow']) {
    const lon = cliLandscape(metric);
    const scored = lon.nodes.filter((n) => n.fitness !== null && n.fitness !== undefined).map((n) => n.id).sort((a, b) => a - b);
    const page = await h.open(`?dataset=cifar10&view=landscape&metric=${encodeURIComponent(metric)}`);
    await ready(page);
    await openView(page, 'landscape');
    await page.waitForSelector(`.map-panel[data-metric="${metric}"]`, { timeout: 30_000 });
    await page.waitForSelector('.fig-funnel[data-nodes]', { timeout: 30_000 });
    await page.waitForSelector('.fig-scatter[data-overlap]', { timeout: 30_000 });
    const panel = await page.$eval(`.map-panel[data-metric="${metric}"]`, (p) => ({ ...p.dataset }));
    assert.deepEqual(panel.optima.split(',').map(Number).sort((a, b) => a - b), scored);
    assert.deepEqual(panel.global.split(',').map(Number), lon.summary.global_optima);
    const funnel = await page.$eval('.fig-funnel', (f) => ({ ...f.dataset }));
    assert.equal(Number(funnel.nodes), lon.summary.n_optima);
    assert.equal(Number(funnel.hiddenUnscored), lon.summary.n_unscored_optima);
    assert.deepEqual(funnel.global.split(',').map(Number), lon.summary.global_optima);
    const scatter = await page.$eval('.fig-scatter', (f) => ({ ...f.dataset }));
    assert.equal(Number(scatter.overlap), lon.summary.top1_overlap);
    // Pointing at a cell shows its 24 neighbours boxed in both maps.
    const box = await page.$('.map-panel .map-stack');
    const r = await box.boundingBox();
    await page.mouse.move(r.x + r.width * 0.7, r.y + r.height * 0.6);
    await page.waitForFunction(() => {
      const marks = [...document.querySelectorAll('.map-neighbour')];
      return marks.length === document.querySelectorAll('.map-panel').length && marks.every((p) => p.dataset.n === '24');
    });
    for (const [name, vp] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(vp);
      await page.waitForTimeout(600);
      await h.shot(page, `figures-landscape-${metric.replace(/[^a-z0-9@]/gi, '_')}-${name}`, { fullPage: true });
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('one link draws two runs: MF-NAS and LS on seed 7 on the same charts and map', async (t) => {
  if (needsCli(t)) return;
  const mf = cliEvents(['--algo', 'mf-nas', '--zc', 'synflow', '--seed', '7']);
  const ls = cliEvents(['--algo', 'ls', '--seed', '7']);
  const page = await h.open(`${RUN}&vs=ls&view=landscape&metric=val_acc@200`);
  await ready(page);
  await openView(page, 'landscape');
  await playToEnd(page);
  // Both whole paths drawn. The page draws this run's path on a timer after its last events
  // and the second run's when its worker answers; on a busy machine either can come seconds
  // late, so wait for the engine's lengths (a path that never completes times out) and then
  // compare, so that a failure prints what was drawn.
  const expected = [pathLength(mf), pathLength(ls)];
  const drawn = () => page.$$eval('.map-panel:first-child .map-run', (g) => g.map((x) => Number(x.dataset.steps)));
  await page
    .waitForFunction((want) => {
      const got = [...document.querySelectorAll('.map-panel:first-child .map-run')].map((g) => Number(g.dataset.steps));
      return got.length === want.length && got.every((n, i) => n === want[i]);
    }, expected, { timeout: 30_000 })
    .catch(() => {});
  assert.deepEqual(await drawn(), expected);
  await h.shot(page, 'figures-compare-map-desktop', { fullPage: true });
  await openView(page, 'run');
  const legend = () => page.$$eval('#trajectory-test .chart-legend', (l) => l.map((x) => x.textContent).join(' '));
  await page
    .waitForFunction(() => [...document.querySelectorAll('#trajectory-test .chart-legend')].some((x) => /Local search \(FLS\), seed 7/.test(x.textContent)), null, { timeout: 30_000 })
    .catch(() => {});
  assert.match(await legend(), /Local search \(FLS\), seed 7/);
  await h.shot(page, 'figures-compare-run-desktop', { fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('labels have glossary entries on hover and keyboard focus, and switch between plain and exact words', async () => {
  const page = await h.open('?dataset=synthetic&algo=mf-nas&seed=7');
  await ready(page);
  for (let i = 0; i < 5; i++) await page.click('#step');
  await page.waitForSelector('.fig-inspector .badge');
  await page.hover('.fig-inspector .badge');
  await page.waitForSelector('#glossary-tip:not([hidden])');
  assert.match(await page.$eval('#glossary-tip', (e) => e.textContent), /accept|reject|escape/);
  // Keyboard: a term gets the focus and shows its entry.
  await page.mouse.move(0, 0);
  await page.focus('.fig-inspector dfn[data-term="difference"]');
  await page.waitForSelector('#glossary-tip:not([hidden])');
  assert.match(await page.$eval('#glossary-tip', (e) => e.textContent), /score minus/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#glossary-tip[hidden]', { state: 'attached' });
  // Pressing a button hides its entry (the button keeps the focus; the entry must not stay
  // over what the click changed).
  await page.hover('#step');
  await page.waitForSelector('#glossary-tip:not([hidden])');
  await page.click('#step');
  await page.waitForSelector('#glossary-tip[hidden]', { state: 'attached' });
  // A settings menu's entry adds the chosen option's.
  await page.focus('select[name=algo]');
  await page.waitForSelector('#glossary-tip:not([hidden])');
  assert.match(await page.$eval('#glossary-tip', (e) => e.textContent), /MF-NAS/);
  const plain = await page.$eval('#run-label', (e) => e.textContent);
  assert.match(plain, /synflow proxy score/);
  await page.click('#words');
  await page.waitForFunction(() => document.querySelector('#run-label').textContent.includes('zc:synflow'));
  await page.waitForURL((url) => url.searchParams.get('words') === 'exact');
  assert.deepEqual(page.errors, []);
  await page.close();
});
