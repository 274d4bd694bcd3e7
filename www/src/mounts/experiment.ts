// The Experiment view: N seeds of several algorithms in the worker with progress and cancel,
// the table beside the paper's numbers, the spread of test accuracy, and the landscape summary
// of every metric of the table (the paper's Figs. 2 and 3).
import type { Shell, View } from '../shell/types';
import type { ExperimentEntry } from '../types';
import { ALGOS, PAPER_ALGOS } from '../config';
import { ExperimentView } from '../views/experiment';
import { renderCoverage, showCoverage } from '../views/coverage';
import { mountPaper } from '../views/paper';
import { LandscapeSummaries } from '../views/summaries';
import { download, toCsv } from '../export';
import { timed } from '../perf';
import type { UiState } from '../state';


export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <div class="toolbar">
      <label class="inline">Seeds per algorithm <input name="runs" inputmode="numeric" form="settings" aria-describedby="runs-error" /></label>
      <fieldset class="inline-set"><legend>Algorithms</legend><span id="exp-algos"></span></fieldset>
      <button type="button" id="exp-run" class="primary">Run experiment</button>
      <button type="button" id="exp-cancel" disabled>Cancel</button>
    </div>
    <p class="field-error" id="runs-error" aria-live="polite"></p>
    <div class="coverage-notes" id="exp-coverage" role="status" hidden></div>
    <div class="progress-line"><progress id="exp-progress" max="1" value="0" aria-label="Experiment progress"></progress><span id="exp-progress-text" class="muted" aria-live="polite"></span></div>
    <div class="row">
      <section class="panel grow" aria-labelledby="exp-table-title"><h2 id="exp-table-title">Results</h2><div id="exp-table" class="table-scroll" tabindex="0" role="region" aria-label="Experiment results"><p class="muted">Run an experiment to compare the algorithms with the paper.</p></div></section>
      <section class="panel grow figure" id="exp-figure" aria-labelledby="exp-chart-title"><h2 id="exp-chart-title" class="visually-hidden">Spread of test accuracy</h2><p class="muted" id="exp-chart-note">After a run, a box per algorithm shows how the test accuracy of its seeds’ cells spreads, with the paper’s mean as a diamond.</p><div id="exp-chart" class="chart" role="img" aria-label="Box plot of the test accuracy each algorithm returned; the results table has the numbers"></div></section>
    </div>
    <section class="panel" aria-labelledby="land-title"><h2 id="land-title">Landscape summary (all metrics of this table)</h2><div id="land-charts" class="chart-grid"></div><p id="land-status" class="muted" aria-live="polite"></p></section>
    <section class="panel" id="paper-panel" aria-labelledby="paper-title"></section>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const runsInput = q<HTMLInputElement>('input[name=runs]');
  runsInput.value = String(shell.state.runs);
  const exp = new ExperimentView(q('#exp-table'), q('#exp-chart'), q<HTMLProgressElement>('#exp-progress'), q('#exp-progress-text'), q('#exp-chart-note'));
  // While an experiment runs, the landscape analysis waits for it (see LandscapeSummaries).
  let running = false;
  let whenIdle: (() => void)[] = [];
  const summaries = new LandscapeSummaries(shell.client, {
    charts: q('#land-charts'),
    chartsStatus: q('#land-status'),
    onError: (text) => shell.message('error', text, 'landscape'),
    idle: () => (running ? new Promise<void>((resolve) => whenIdle.push(resolve)) : null),
  });
  mountPaper(q('#paper-panel'), shell);
  // Before running: which chosen configurations score only part of the table.
  const coverage = () => {
    if (shell.table) void showCoverage(shell.client, shell.state.algos.map((a) => shell.runParams(a)), q('#exp-coverage'));
  };
  const algos = q('#exp-algos');
  algos.innerHTML = Object.entries(ALGOS)
    .map(([a, label]) => `<label class="check"><input type="checkbox" value="${a}" ${shell.state.algos.includes(a as never) ? 'checked' : ''}/> ${label}</label>`)
    .join('');
  algos.onchange = () => {
    const list = [...algos.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value as UiState['algos'][number]);
    shell.set({ algos: list.length ? list : [...PAPER_ALGOS] });
  };
  const runBtn = q<HTMLButtonElement>('#exp-run');
  const cancelBtn = q<HTMLButtonElement>('#exp-cancel');
  let result: { entries: ExperimentEntry[]; ms: number } | null = null;
  let visible = false;
  const buttons = (nowRunning: boolean) => {
    running = nowRunning;
    runBtn.disabled = nowRunning;
    cancelBtn.disabled = !nowRunning;
    if (!nowRunning) {
      const waiting = whenIdle;
      whenIdle = [];
      for (const resume of waiting) resume();
    }
  };
  shell.client.on((msg) => {
    if (msg.type === 'progress' && msg.task === 'experiment') exp.progress(msg.done, msg.total, null);
    else if (msg.type === 'experimentDone') {
      result = { entries: msg.progress.entries, ms: msg.ms };
      exp.progress(msg.progress.total, msg.progress.total, msg.ms);
      q('#exp-progress').dataset.ms = String(msg.ms);
      buttons(false);
      void shell.paperNumbers().then((paper) =>
        // The table first, the chart in the next task.
        timed('experiment table', () => exp.render(msg.progress.entries, paper, shell.table?.dataset ?? '', msg.ms / 1000)),
      );
    } else if (msg.type === 'crashed') buttons(false);
  });
  runBtn.onclick = async () => {
    if (!shell.table) return;
    const params = shell.state.algos.map((a) => shell.runParams(a));
    try {
      buttons(true);
      result = null;
      delete q('#exp-progress').dataset.ms;
      const { total } = await shell.client.request({ type: 'startExperiment', params, seedStart: 1, runs: shell.state.runs });
      exp.progress(0, total, null);
    } catch (e) {
      buttons(false);
      shell.message('error', `Cannot run the experiment: ${(e as Error).message}`, 'experiment');
    }
  };
  cancelBtn.onclick = async () => {
    await shell.client.request({ type: 'cancelExperiment' }).catch(() => {});
    buttons(false);
    q('#exp-progress-text').textContent = 'Cancelled.';
  };
  let metricsReady = false;
  const setTable = () => {
    if (!shell.table) return;
    metricsReady = false;
    summaries.setTable(shell.table, () => {
      metricsReady = true;
      if (visible) void summaries.summaries();
    });
  };
  shell.on('table', () => {
    // The last table's notes go at once; the engine's answers for this one follow.
    renderCoverage(q('#exp-coverage'), []);
    coverage();
    // The worker stops a running experiment when it loads another table, without a word.
    if (running) {
      buttons(false);
      q('#exp-progress-text').textContent = 'Stopped: another table was loaded.';
    }
    result = null;
    exp.clear('Run an experiment to compare the algorithms with the paper.');
    setTable();
  });
  shell.on('state', (s, changed) => {
    if (changed.has('runs')) runsInput.value = String(s.runs);
    if (['algos', 'zc', 'budget', 'stage1', 'stage2', 'm', 'k', 'ladder', 'keep'].some((k) => changed.has(k))) coverage();
  });
  setTable();
  coverage();
  return {
    figure: q('#exp-figure'),
    show() {
      visible = true;
      if (metricsReady) void summaries.summaries();
    },
    hide() {
      visible = false;
    },
    export(format, stem) {
      const entries = result?.entries;
      if (format === 'svg' || format === 'png') return void exp.figure(format).then((data) => download(`${stem}.${format}`, data, 'image/svg+xml'));
      if (!entries) return shell.message('warning', 'Run an experiment first.', 'export');
      if (format === 'json') {
        return void shell.paperNumbers().then((paper) => download(`${stem}.json`, JSON.stringify({ table: shell.table, entries, paper }, null, 2), 'application/json'));
      }
      download(
        `${stem}.csv`,
        toCsv(
          ['algo', 'label', 'seed', 'arch', 'arch_string', 'test_acc', 'cost_s', 'epochs', 'evals', 'score'],
          entries.flatMap((e) => e.outcomes.map((o) => [e.algo, e.summary.label, o.seed, o.arch, o.arch_string, o.test_acc, o.cost_s, o.epochs, o.evals, o.score])),
        ),
        'text/csv',
      );
    },
  };
}
