// The cell editor: a cell is edited by keyboard alone and by mouse, and what the page shows for
// the edited cell is the engine's (its 24 neighbours, each one edge away; the optimum and basin
// that `mfnas landscape` finds for the same table and metric); following the climb keeps the
// optimum; the editor opens from a cell panel; its cell is sent to the run as the start of a
// local search, which then evaluates that cell first and ends as `mfnas run --start` does; a bad
// `cell=` is reported. Screenshots at 1440x1000, 1280x720 and 390x844 go to
// e2e/screenshots/editor-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { useBrowser, ready, playToEnd, haveTable, VIEWPORTS, www, cliBin as bin, needsCli, cliLandscape } from './harness.mjs';

const h = useBrowser(import.meta.url);
const tables = join(www, 'dist', 'tables');
const RESNET = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|';
const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'];

/** The six operations of an arch string. */
const opsOf = (s) => [...s.matchAll(/\|([a-z_0-9]+)~\d/g)].map((m) => m[1]);

/** Waits until the editor shows a cell other than `before` with all its numbers, and reads it. */
async function shown(page, before = null) {
  await page.waitForFunction(
    (b) => {
      const e = document.querySelector('.editor');
      return e && !e.hasAttribute('aria-busy') && e.dataset.cell !== undefined && e.dataset.cell !== b && document.querySelectorAll('.ed-nb').length > 0;
    },
    before,
    { timeout: 30_000 },
  );
  return page.evaluate(() => {
    const e = document.querySelector('.editor');
    const basin = document.querySelector('.ed-basin');
    return {
      id: Number(e.dataset.cell),
      arch: e.dataset.archString,
      url: new URLSearchParams(location.search).get('cell'),
      neighbours: [...document.querySelectorAll('.ed-nb')].map((b) => ({ id: Number(b.dataset.id), position: Number(b.dataset.position), op: b.dataset.op, climb: b.classList.contains('climb'), better: b.classList.contains('better') })),
      optimum: Number(document.querySelector('.ed-opt-text button[data-id]').dataset.id),
      basin: Number(basin.dataset.basin),
      isOptimum: /is itself/.test(document.querySelector('.ed-opt-text').textContent),
      global: /global optimum/.test(document.querySelector('.ed-opt-text').textContent) && !/not a global/.test(document.querySelector('.ed-opt-text').textContent),
    };
  });
}

test('a cell is edited by keyboard and by mouse; its neighbours, optimum and basin are the engine’s and the CLI’s', async (t) => {
  if (needsCli(t)) return;
  const lon = cliLandscape('zc:synflow');
  const byId = new Map(lon.nodes.map((n) => [n.id, n]));
  const page = await h.open(`?dataset=cifar10&view=cell&metric=zc:synflow&cell=${encodeURIComponent(RESNET)}`);
  await ready(page);
  let c = await shown(page);
  assert.equal(c.arch, RESNET);
  const check = (c) => {
    // 24 neighbours, each one edge away with the operation its button names.
    assert.equal(c.neighbours.length, 24);
    const ops = opsOf(c.arch);
    for (const n of c.neighbours) assert.notEqual(n.op, ops[n.position]);
    assert.equal(new Set(c.neighbours.map((n) => `${n.position}:${n.op}`)).size, 24);
    // The optimum is one of the CLI's local optima, with the CLI's basin size.
    const node = byId.get(c.optimum);
    assert.ok(node, `optimum #${c.optimum} is a node of mfnas landscape's LON`);
    assert.equal(c.basin, node.basin_size, `basin of #${c.optimum}`);
    assert.equal(c.global, Boolean(node.global), `global flag of #${c.optimum}`);
    assert.equal(c.isOptimum, c.id === c.optimum);
    assert.equal(c.neighbours.filter((n) => n.climb).length, c.isOptimum ? 0 : 1);
  };
  check(c);

  // Keyboard only: Tab into the cell, → → → to edge in→out, 3 sets a 1×1 convolution.
  await page.focus('.ed-edge[tabindex="0"]');
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.position), '3');
  await page.keyboard.press('3');
  let next = await shown(page, String(c.id));
  assert.equal(opsOf(next.arch)[3], 'nor_conv_1x1');
  assert.deepEqual(opsOf(next.arch).filter((_, i) => i !== 3), opsOf(c.arch).filter((_, i) => i !== 3));
  assert.equal(next.url, String(next.id), 'the edited cell is in the URL');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.position), '3', 'focus stays on the edited edge');
  check(next);
  c = next;

  // ↓ steps the operation; Enter opens the menu, ↓ and Enter choose in it, focus comes back.
  await page.keyboard.press('ArrowDown');
  next = await shown(page, String(c.id));
  assert.equal(opsOf(next.arch)[3], 'nor_conv_3x3');
  c = next;
  await page.keyboard.press('Enter');
  await page.waitForSelector('.ed-menu:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-checked')), 'true');
  await page.keyboard.press('ArrowDown');
  await h.shot(page, 'editor-menu');
  await page.keyboard.press('Enter');
  next = await shown(page, String(c.id));
  assert.equal(opsOf(next.arch)[3], 'avg_pool_3x3');
  assert.ok(await page.$eval('.ed-menu', (m) => m.hidden));
  c = next;
  await page.keyboard.press('Enter');
  await page.waitForSelector('.ed-menu:not([hidden])');
  await page.keyboard.press('Escape');
  assert.ok(await page.$eval('.ed-menu', (m) => m.hidden));
  assert.equal(await page.evaluate(() => document.activeElement.dataset.position), '3');

  // Mouse: click edge in→1, pick "skip connection" in the menu.
  await page.click('.ed-edge[data-position="0"] .cd-op');
  await page.waitForSelector('.ed-menu:not([hidden])');
  await page.click('.ed-menu button[data-op="skip_connect"]');
  next = await shown(page, String(c.id));
  assert.equal(opsOf(next.arch)[0], 'skip_connect');
  check(next);
  c = next;
  // The lab's buttons (real proxies, training) follow the edited cell.
  assert.equal(await page.$$eval('.ed-extras .lab-launch button[data-lab]', (b) => b.length), 2);

  // Following the climb (the ★ neighbour) keeps the optimum; at the optimum no neighbour is better.
  const optimum = c.optimum;
  for (let steps = 0; !c.isOptimum && steps < 30; steps++) {
    await page.click('.ed-nb.climb');
    c = await shown(page, String(c.id));
    assert.equal(c.optimum, optimum, 'the climb ends where it said');
    check(c);
  }
  assert.ok(c.isOptimum && c.id === optimum);
  assert.ok(c.neighbours.every((n) => !n.better));

  // "Show on the map": the Landscape view shows the cell in its panel and marks it on the map.
  await page.click('.ed-actions button[data-action=map]');
  await page.waitForSelector(`#lon-cell[data-arch="${c.id}"]`, { timeout: 60_000 });
  await page.waitForFunction((id) => document.querySelector('#space-map .fig-readout')?.textContent.includes(`#${id}`), c.id, { timeout: 60_000 });
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a cell panel opens the editor, and its cell starts the run’s local search as `mfnas run --start` does', async (t) => {
  if (needsCli(t)) return;
  const page = await h.open('?dataset=cifar10&algo=ls&seed=3&speed=max&budget=3000');
  await ready(page);
  const first = await playToEnd(page);
  await page.waitForSelector('#cell-info button.edit-cell');
  await page.click('#cell-info button.edit-cell');
  const c = await shown(page);
  assert.equal(c.id, Number(first.arch), 'the editor shows the cell of the panel');
  assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get('view')), 'cell');
  // Edit one edge, then send the edited cell to the run.
  const ops = opsOf(c.arch);
  await page.click('.ed-edge[data-position="5"] .cd-op');
  await page.click(`.ed-menu button[data-op="${OPS.find((o) => o !== ops[5])}"]`);
  const edited = await shown(page, String(c.id));
  await page.click('.ed-actions button[data-action=start]');
  await page.waitForFunction((id) => new URLSearchParams(location.search).get('start') === id && document.querySelector('#view-run:not([hidden])'), String(edited.id));
  assert.match(await page.textContent('.start-chip'), new RegExp(`#${edited.id}`));
  const out = await playToEnd(page);
  const cli = JSON.parse(execFileSync(bin, ['run', '--dataset', 'cifar10', '--tables', tables, '--algo', 'ls', '--seed', '3', '--budget', '3000', '--start', String(edited.id), '--format', 'json'], { encoding: 'utf8' }));
  const outcome = cli.outcome ?? cli;
  assert.equal(Number(out.arch), outcome.arch, 'the page’s run ends where the CLI’s does');
  assert.equal(Number(out.costS), outcome.cost_s);
  // The run's first evaluation is the chosen cell (the improvements table starts there).
  await page.click('#run-data summary');
  await page.waitForSelector('#run-data [data-arch]');
  const firstArch = await page.$eval('#run-data [data-arch]', (b) => Number(b.dataset.arch));
  assert.equal(firstArch, edited.id);
  // "Start at a random cell" forgets it.
  await page.click('.start-chip .clear-start');
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('start'));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('a bad cell= is reported and the ResNet-like cell shown instead', async () => {
  const page = await h.open('?dataset=synthetic&view=cell&cell=not-a-cell');
  await ready(page);
  const c = await shown(page);
  assert.equal(c.arch, RESNET);
  assert.match(await page.textContent('#messages'), /cell=not-a-cell/);
  await page.close();
});

test('on the 200-cell sample the editor shows a cell the table has and the neighbours it has', async (t) => {
  if (!haveTable('nb201-cifar10-curves200.mfnt')) return t.skip('needs the packed cifar10-curves200 table in dist/ (scripts/serve.sh packs it)');
  const page = await h.open('?dataset=cifar10-curves200&view=cell');
  await ready(page);
  await page.waitForFunction(() => document.querySelector('.editor:not([aria-busy])')?.dataset.cell !== undefined, null, { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /does not have cell/);
  assert.match(await page.textContent('.ed-nb-summary'), /This table holds 200 cells/);
  assert.match(await page.textContent('.ed-opt-text'), /of the 200 cells/);
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`the editor fits a ${name} screen (${viewport.width}x${viewport.height})`, async () => {
    const dataset = haveTable() ? 'cifar10' : 'synthetic';
    const page = await h.open(`?dataset=${dataset}&view=cell&metric=zc:synflow&cell=${encodeURIComponent(RESNET)}`, { viewport });
    await ready(page);
    await shown(page);
    const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(scroll <= width, `the page is ${scroll} px wide on a ${width} px screen`);
    await h.shot(page, `editor-${name}`, { fullPage: name !== 'projector' });
    await page.close();
  });
}
