// The paper panel of the Experiment view: the report the worker computes is the report
// `mfnas paper` writes for the same table, sections and seeds; the coverage notes are the
// command line's; screenshots of the report at the three viewports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, ready, packedDatasets, repo, www, axeSource, VIEWPORTS } from './harness.mjs';

const h = useBrowser(import.meta.url);
const bin = join(repo, 'target', 'release', 'mfnas');
const tables = join(www, 'dist', 'tables');
const SECTIONS = 'table4,table6';
const RUNS = 20;

/** Drops keys whose value is null or absent: serde_json writes `null` where the page's
 * serde-wasm-bindgen leaves a field out; the numbers themselves are compared exactly. */
function normalise(v) {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && x !== undefined).map(([k, x]) => [k, normalise(x)]));
  }
  return v;
}

/** `mfnas paper` on one dataset: its JSON report and the coverage notes it prints before running. */
function cli(dataset) {
  const dir = mkdtempSync(join(tmpdir(), 'mfnas-paper-'));
  try {
    const args = ['paper', '--tables', tables, '--datasets', dataset, '--sections', SECTIONS, '--runs', String(RUNS), '--out', dir];
    const r = spawnSync(bin, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `mfnas paper failed: ${r.stderr}`);
    const prefix = `coverage (${dataset}): `;
    const coverage = r.stderr.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    return { report: JSON.parse(readFileSync(join(dir, 'paper.json'), 'utf8')), coverage };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the panel and returns the report it offers as paper.json. */
async function pageReport(page) {
  await page.click('#paper-run');
  await page.waitForSelector('#paper-progress[data-ms]', { timeout: 240_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#paper-downloads [data-file="paper.json"]')]);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

test('the paper panel computes the report of `mfnas paper` for the same table and seeds, with its coverage notes', async (t) => {
  const dataset = packedDatasets().includes('cifar100') ? 'cifar100' : null;
  if (!dataset || !existsSync(bin)) {
    // Loud, never a quiet pass: this comparison needs the packed real tables and the release CLI.
    const why = `needs dist/tables/nb201-cifar100.mfnt (scripts/test-web.sh packs it) and ${bin} (cargo build --release)`;
    assert.notEqual(process.env.MFNAS_REQUIRE_DATA, '1', `MFNAS_REQUIRE_DATA=1 but the paper comparison cannot run: it ${why}`);
    t.skip(why);
    return;
  }
  const page = await h.open(`?dataset=${dataset}&view=experiment&paper=${SECTIONS}&paper_runs=${RUNS}`);
  await ready(page);
  const ours = await pageReport(page);
  const { report: theirs, coverage } = cli(dataset);
  assert.deepEqual(normalise(ours.tables), normalise(theirs.tables));
  assert.deepEqual(normalise(ours.coverage), normalise(theirs.coverage));
  assert.equal(ours.runs, RUNS);

  const notes = await page.$$eval('#paper-coverage li', (lis) => lis.map((li) => li.textContent));
  assert.ok(notes.length > 0, 'cifar100 proxies score 725 of 15,625 cells: the panel must say so');
  assert.deepEqual(notes, coverage);
  // Every cell beyond its standard error states its cause in the page too.
  const bold = await page.$$eval('#paper-report td strong', (els) => els.length);
  assert.ok(bold > 0, 'the report marks differences beyond the standard error');
  assert.deepEqual(page.errors, []);
  await page.close();
});

test('the paper report reads at desktop, projector and phone sizes', async () => {
  const query = packedDatasets().includes('cifar100') ? 'dataset=cifar100&' : 'dataset=synthetic&';
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    const page = await h.open(`?${query}view=experiment&paper=${SECTIONS}&paper_runs=5`, { viewport });
    await ready(page);
    await page.click('#paper-run');
    await page.waitForSelector('#paper-progress[data-ms]', { timeout: 240_000 });
    await page.$eval('#paper-panel', (el) => el.scrollIntoView());
    // The report scrolls inside its region on narrow screens; the page itself never scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `${name}: the page scrolls sideways by ${overflow} px`);
    await h.shot(page, `paper-${name}`);
    await page.addScriptTag({ content: axeSource() });
    const violations = await page.evaluate(async () => {
      const r = await globalThis.axe.run(document.querySelector('#paper-panel'), { resultTypes: ['violations'] });
      return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    assert.deepEqual(violations, [], `axe-core on the paper report (${name})`);
    const panel = await page.$('#paper-panel');
    await panel.screenshot({ path: join(www, 'e2e', 'screenshots', `paper-panel-${name}.png`) });
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});
