// The paper panel of the Experiment view: every NAS-Bench-201 table and figure of the MF-NAS
// paper that the loaded table supports, computed in the worker with the same seeds and the
// same numbers as `mfnas paper`, shown beside the published numbers with the computed cause of
// every difference. The engine writes the report (the same HTML as the static page); this
// panel only asks for it, shows progress and offers the files.
import type { Shell } from '../shell/types';
import type { PaperPage, ReportProgress, Section } from '../types';
import { download } from '../export';
import { escapeHtml } from '../html';
import { renderCoverage } from './coverage';
import './paper.css';

/** The sections, in report order, with their labels. */
export const SECTIONS: readonly (readonly [Section, string])[] = [
  ['table2', 'Table 2 · every algorithm'],
  ['table1', 'Table 1 · RS vs LS in stage 1'],
  ['table4', 'Table 4 · the 32 candidates'],
  ['table5', 'Table 5 · val vs loss in stage 2'],
  ['table6', 'Table 6 · each proxy'],
  ['landscapes', 'Figs. 2–3 · landscapes'],
  ['trends', 'Figs. 4/8 · search trends'],
];

export const DEFAULT_RUNS = 500;
const MAX_RUNS = 10_000;

/** The URL keys of the panel (declared in the registry entry of the Experiment view). */
export const PAPER_PARAMS = ['paper', 'paper_runs'] as const;

/** The sections named by the URL value `text` (all when absent); unknown names are dropped. */
export function parseSections(text: string | null): Section[] {
  if (text === null || text.trim() === '') return SECTIONS.map(([s]) => s);
  const wanted = text.split(',').map((s) => s.trim());
  return SECTIONS.map(([s]) => s).filter((s) => wanted.includes(s));
}

/** The seeds per configuration named by the URL value `text`, or an error in words. */
export function parseRuns(text: string | null): { runs: number } | { error: string } {
  if (text === null || text.trim() === '') return { runs: DEFAULT_RUNS };
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RUNS) return { error: `Seeds per configuration must be a whole number from 1 to ${MAX_RUNS.toLocaleString('en')} (got “${text}”).` };
  return { runs: n };
}

export interface PaperPanel {
  /** The finished report, if any. */
  page(): PaperPage | null;
}

/** What the report area says before a run. */
const IDLE =
  'Choose the sections and run them. This page runs the seeds one after another in one worker, so start with few seeds; the command line runs all of it with 500 seeds on every core (mfnas paper).';

export function mountPaper(el: HTMLElement, shell: Shell): PaperPanel {
  el.innerHTML = `
    <h2 id="paper-title">The paper on this table</h2>
    <p class="muted paper-intro">Runs every experiment of the MF-NAS paper that this table supports — in the worker, with
      the same seeds and numbers as the command line’s <code>mfnas paper</code> — and shows each table beside the published one. Δ in bold
      differs from the paper by more than its standard error; each such cell says why, from the data the run used.</p>
    <div class="toolbar">
      <fieldset class="inline-set paper-sections"><legend>Sections</legend>${SECTIONS.map(
        ([s, label]) => `<label class="check"><input type="checkbox" value="${s}" /> ${escapeHtml(label)}</label>`,
      ).join('')}</fieldset>
      <label class="inline">Seeds per configuration <input name="paper_runs" inputmode="numeric" aria-describedby="paper-runs-error" /></label>
      <button type="button" id="paper-run" class="primary">Run the paper's tables</button>
      <button type="button" id="paper-cancel" disabled>Cancel</button>
    </div>
    <p class="field-error" id="paper-runs-error" aria-live="polite"></p>
    <div class="progress-line"><progress id="paper-progress" max="1" value="0" aria-label="Paper report progress"></progress><span id="paper-progress-text" class="muted" aria-live="polite"></span></div>
    <div class="coverage-notes" id="paper-coverage" role="status" hidden></div>
    <div class="paper-downloads" id="paper-downloads" hidden></div>
    <div class="paper-report" id="paper-report" role="region" aria-label="Paper report"><p class="muted">${escapeHtml(IDLE)}</p></div>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const boxes = [...el.querySelectorAll<HTMLInputElement>('.paper-sections input')];
  const runsInput = q<HTMLInputElement>('input[name=paper_runs]');
  const runsError = q('#paper-runs-error');
  const runBtn = q<HTMLButtonElement>('#paper-run');
  const cancelBtn = q<HTMLButtonElement>('#paper-cancel');
  const bar = q<HTMLProgressElement>('#paper-progress');
  const barText = q('#paper-progress-text');
  const coverage = q('#paper-coverage');
  const downloads = q('#paper-downloads');
  const out = q('#paper-report');
  let page: PaperPage | null = null;
  let running = false;

  const fromUrl = () => {
    const chosen = parseSections(shell.param('paper'));
    for (const b of boxes) b.checked = chosen.includes(b.value as Section);
    runsInput.value = shell.param('paper_runs') ?? String(DEFAULT_RUNS);
  };
  const buttons = (on: boolean) => {
    running = on;
    runBtn.disabled = on;
    cancelBtn.disabled = !on;
  };
  const progress = (p: { done: number; total: number; phase?: string }) => {
    bar.max = Math.max(p.total, 1);
    bar.value = p.done;
    barText.textContent = `${Math.round((100 * p.done) / Math.max(p.total, 1))} %${p.phase ? ` · ${p.phase}` : ''}`;
  };
  const clear = (text: string) => {
    page = null;
    delete bar.dataset.ms;
    downloads.hidden = true;
    renderCoverage(coverage, []);
    out.innerHTML = `<p class="muted">${escapeHtml(text)}</p>`;
  };
  const show = (p: PaperPage, ms: number) => {
    page = p;
    bar.value = bar.max;
    bar.dataset.ms = String(ms);
    barText.textContent = `done in ${(ms / 1000).toFixed(1)} s in the worker`;
    out.innerHTML = p.html;
    downloads.innerHTML = [
      ['paper.md', 'Markdown'],
      ['paper.html', 'HTML page'],
      ['paper.json', 'JSON'],
      ...p.figures.map(([name]) => [name, name]),
    ]
      .map(([file, label]) => `<button type="button" data-file="${escapeHtml(file)}">${escapeHtml(label)}</button>`)
      .join('');
    downloads.hidden = false;
  };

  for (const b of boxes) {
    b.onchange = () => {
      const chosen = boxes.filter((x) => x.checked).map((x) => x.value);
      shell.setParam('paper', chosen.length === SECTIONS.length ? null : chosen.join(','));
    };
  }
  runsInput.onchange = () => {
    const r = parseRuns(runsInput.value);
    runsError.textContent = 'error' in r ? r.error : '';
    if ('runs' in r) shell.setParam('paper_runs', r.runs === DEFAULT_RUNS ? null : String(r.runs));
  };
  downloads.onclick = (ev) => {
    const file = (ev.target as HTMLElement).closest<HTMLElement>('[data-file]')?.dataset.file;
    if (!file || !page) return;
    if (file === 'paper.md') return download(file, page.markdown, 'text/markdown');
    if (file === 'paper.html') return download(file, page.page, 'text/html');
    if (file === 'paper.json') return download(file, JSON.stringify(page.report, null, 2), 'application/json');
    const fig = page.figures.find(([name]) => name === file);
    if (fig) download(file, fig[1], 'image/svg+xml');
  };
  runBtn.onclick = async () => {
    if (!shell.table || running) return;
    const r = parseRuns(runsInput.value);
    if ('error' in r) {
      runsError.textContent = r.error;
      return;
    }
    const sections = boxes.filter((b) => b.checked).map((b) => b.value as Section);
    if (sections.length === 0) {
      runsError.textContent = 'Choose at least one section.';
      return;
    }
    runsError.textContent = '';
    clear('Computing…');
    buttons(true);
    try {
      const first: ReportProgress = await shell.client.request({ type: 'paperStart', request: { sections, runs: r.runs, seed_start: 1 } });
      renderCoverage(coverage, first.coverage);
      progress(first);
    } catch (e) {
      buttons(false);
      clear('The report could not start.');
      shell.message('error', `Cannot run the paper's tables: ${(e as Error).message}`, 'paper');
    }
  };
  cancelBtn.onclick = async () => {
    await shell.client.request({ type: 'paperCancel' }).catch(() => {});
    buttons(false);
    barText.textContent = 'Cancelled.';
  };
  shell.client.on((msg) => {
    if (msg.type === 'progress' && msg.task === 'paper') progress(msg);
    else if (msg.type === 'paperDone') {
      buttons(false);
      show(msg.page, msg.ms);
    } else if (msg.type === 'crashed') buttons(false);
  });
  shell.on('table', () => {
    if (running) void shell.client.request({ type: 'paperCancel' }).catch(() => {});
    buttons(false);
    bar.value = 0;
    barText.textContent = '';
    clear(IDLE);
  });
  shell.on('state', (_s, changed) => {
    if (changed.has('extra.paper') || changed.has('extra.paper_runs')) fromUrl();
  });
  fromUrl();
  return { page: () => page };
}
