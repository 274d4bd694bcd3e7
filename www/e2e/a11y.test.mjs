// Keyboard and assistive technology: axe-core finds nothing on any view (desktop, phone,
// presentation); tabs follow the WAI-ARIA pattern; shortcuts never take a focused control's keys;
// bracket entries, chart points (as a table) and graph nodes (as a table) are reachable by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ready, openView, axeSource, VIEWPORTS } from './harness.mjs';

const h = useBrowser(import.meta.url);

async function axe(page, what) {
  await page.addScriptTag({ content: axeSource() });
  const found = await page.evaluate(async () => {
    // Open every data table so that its rows are checked too.
    for (const d of document.querySelectorAll('details')) d.open = true;
    await new Promise((r) => setTimeout(r, 300));
    const r = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
  assert.deepEqual(found, [], `axe-core on ${what}`);
}

async function loaded(page, view) {
  if (view === 'chapters') await page.waitForSelector('#view-chapters .chapter-question .predict', { timeout: 60_000 });
  if (view === 'landscape') await page.waitForSelector('.fig-funnel[data-nodes]', { timeout: 60_000 });
  if (view === 'cell') await page.waitForSelector('.editor:not([aria-busy]) .ed-nb', { timeout: 60_000 });
  if (view === 'experiment') {
    await page.click('#exp-run');
    await page.waitForSelector('#exp-table table.results', { timeout: 60_000 });
  }
}

for (const [mode, viewport, extra] of [
  ['desktop', VIEWPORTS.desktop, ''],
  ['phone', VIEWPORTS.phone, ''],
  ['presentation', VIEWPORTS.projector, '&present=1'],
]) {
  test(`axe-core reports no violation on any view (${mode})`, async () => {
    const probe = await h.open('?dataset=synthetic', { viewport });
    const ids = await probe.$$eval('[role=tab]', (tabs) => tabs.map((t) => t.dataset.view));
    await probe.close();
    for (const view of ids) {
      const page = await h.open(`?dataset=synthetic&seed=7&runs=5&view=${view}${extra}`, { viewport });
      await ready(page);
      // The first chapter has no play bar (its figure walks by itself); chapters.test.mjs checks every chapter.
      if (view !== 'chapters') await page.click('#finish').catch(() => {});
      if (view === 'run') await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
      await openView(page, view);
      await loaded(page, view);
      await axe(page, `${view} (${mode})`);
      await page.close();
    }
  });
}

test('tabs are a tablist: roles, labelled panels, arrow keys move between them without stepping the run', async () => {
  const page = await h.open('?dataset=synthetic');
  await ready(page);
  const tabs = await page.$$eval('[role=tablist] [role=tab]', (ts) =>
    ts.map((t) => ({ id: t.id, controls: t.getAttribute('aria-controls'), selected: t.getAttribute('aria-selected'), tabindex: t.tabIndex })),
  );
  assert.ok(tabs.length >= 3);
  for (const t of tabs) {
    const panel = await page.$eval(`#${t.controls}`, (p) => ({ role: p.getAttribute('role'), by: p.getAttribute('aria-labelledby') }));
    assert.deepEqual(panel, { role: 'tabpanel', by: t.id });
  }
  assert.deepEqual(tabs.map((t) => t.tabindex), tabs.map((t) => (t.selected === 'true' ? 0 : -1)), 'roving tabindex');
  const status = await page.textContent('#status');
  await page.focus('[role=tab][data-view=run]');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.getAttribute('data-view') === 'landscape');
  assert.equal(await page.getAttribute('[role=tab][data-view=landscape]', 'aria-selected'), 'true');
  assert.equal(await page.textContent('#status'), status, 'ArrowRight on a tab did not step the run');
  await page.keyboard.press('Space');
  await page.waitForTimeout(300);
  assert.equal(await page.textContent('#status'), status, 'Space on a tab did not play');
  await page.close();
});

test('Space on a focused button presses that button; on the page it plays', async () => {
  const page = await h.open('?dataset=synthetic&speed=20');
  await ready(page);
  await page.focus('#step');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => /Paused at 1 evaluations/.test(document.querySelector('#status')?.textContent ?? ''));
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Paused at 2 evaluations/.test(document.querySelector('#status')?.textContent ?? ''));
  // With nothing focused, Space is the play shortcut.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'playing');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'ready');
  // Typing in a field never triggers a shortcut.
  await page.focus('input[name=seed]');
  await page.keyboard.press('r');
  await page.keyboard.press('p');
  assert.equal(await page.evaluate(() => document.body.classList.contains('present')), false);
  await page.close();
});

test('bracket entries and the improvements table are reachable by keyboard and show a cell', async () => {
  const page = await h.open('?dataset=synthetic&seed=7&speed=max');
  await ready(page);
  await page.click('#finish');
  await page.waitForSelector('#outcome:not([hidden])', { timeout: 60_000 });
  const entry = page.locator('.rung button.entry.pruned').first();
  const arch = await entry.getAttribute('data-arch');
  assert.match(await entry.textContent(), /pruned: arch\s*#\d+/);
  assert.equal((await entry.textContent()).trim().startsWith('✗'), true, 'pruned is marked by a glyph, not colour alone');
  await entry.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((a) => document.querySelector('#cell')?.dataset.arch === a, arch);
  await page.focus('#run-data summary');
  await page.keyboard.press('Enter');
  const row = page.locator('#run-data button[data-arch]').last();
  const best = await row.getAttribute('data-arch');
  await row.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((a) => document.querySelector('#cell')?.dataset.arch === a, best);
  await page.close();
});
