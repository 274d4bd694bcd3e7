// The explorer's controller: keeps the UI state (mirrored in the URL), talks to the engine
// worker, folds run events into the view models and redraws the views.
import type { ArchInfo, Event, ExperimentEntry, PaperResult, RunInfo, StepBatch, TableInfo } from './types';
import { DATASETS, FALLBACK_BUDGET_S, REDRAW_MS, SYNTHETIC_SEED, ALGOS, PAPER_ALGOS } from './config';
import { type UiState, parseUrl, runParams, toSearch } from './state';
import { EngineClient, EngineError } from './worker/client';
import type { TableSource } from './worker/protocol';
import { emptyTrajectory, foldTrajectory, type Trajectory } from './models/trajectory';
import { emptyBracket, foldBracket, type Bracket } from './models/bracket';
import { TrajectoryView } from './views/trajectory';
import { BracketView } from './views/bracket';
import { CellView } from './views/cell';
import { ExperimentView } from './views/experiment';
import { Controls } from './views/controls';
import { Messages } from './views/messages';
import { LandscapeView } from './views/landscape';
import { download, toCsv } from './export';
import { exportChart } from './views/charts';
import { timed } from './perf';
import { labButtons, labCell } from './lab/mount';

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;

type Manifest = Record<string, { bytes: number; sha256: string }>;

export class App {
  private state: UiState;
  private client: EngineClient;
  private controls = new Controls($<HTMLFormElement>('#settings'));
  private messages = new Messages($('#messages'));
  private trajectoryView = new TrajectoryView($('#trajectory'), $('#trajectory-test'));
  private bracketView = new BracketView($('#bracket'));
  private cellView = new CellView($('#cell'), $('#cell-info'));
  private experimentView = new ExperimentView($('#exp-table'), $('#exp-chart'), $<HTMLProgressElement>('#exp-progress'), $('#exp-progress-text'));
  private landscape: LandscapeView;

  private table: TableInfo | null = null;
  private run: RunInfo | null = null;
  private events: Event[] = [];
  private trajectory: Trajectory = emptyTrajectory();
  private bracket: Bracket = emptyBracket();
  private outcome: StepBatch['outcome'] = undefined;
  private playing = false;
  private redrawPending = false;
  private paper: PaperResult[] = [];
  private experiment: { entries: ExperimentEntry[]; ms: number | null } | null = null;
  private manifest: Promise<Manifest> | null = null;
  private interactive = false;

  constructor(makeWorker: () => Worker) {
    const { state, problems } = parseUrl(location.search);
    this.state = state;
    for (const p of problems) this.messages.show('warning', p);
    this.client = new EngineClient(makeWorker);
    this.client.on((msg) =>
      timed(`engine message ${msg.type}`, () => {
        switch (msg.type) {
          case 'events':
            return this.onBatch(msg.batch, msg.playing);
          case 'progress':
            if (msg.task === 'table') this.tableProgress(msg.done, msg.total);
            else this.experimentView.progress(msg.done, msg.total, null);
            return;
          case 'experimentDone':
            this.experiment = { entries: msg.progress.entries, ms: msg.ms };
            this.experimentView.progress(msg.progress.total, msg.progress.total, msg.ms);
            this.experimentView.render(msg.progress.entries, this.paper, this.table?.dataset ?? '', msg.ms / 1000);
            $('#exp-progress').dataset.ms = String(msg.ms);
            this.experimentButtons(false);
            return;
          case 'crashed':
            return this.onCrash(msg.message);
        }
      }),
    );
    this.landscape = new LandscapeView(this.client, {
      graph: $('#lon'),
      summary: $('#lon-summary'),
      cell: new CellView($('#lon-cell'), $('#lon-cell-info')),
      charts: $('#land-charts'),
      chartsStatus: $('#land-status'),
      onError: (text) => this.messages.show('error', text, 'landscape'),
    });
    this.wire();
    this.controls.show(this.state);
    this.showView();
    document.body.classList.toggle('present', this.state.present);
    void this.boot();
  }

  private async boot() {
    this.client
      .request({ type: 'paperNumbers' })
      .then((p) => (this.paper = p))
      .catch(() => {});
    await this.loadTable();
    if (this.state.debug === 'panic') void this.client.request({ type: 'debugPanic' }).catch(() => {});
  }

  // ---- state ---------------------------------------------------------------------------

  private setState(patch: Partial<UiState>) {
    const before = this.state;
    this.state = { ...before, ...patch };
    history.replaceState(null, '', `${location.pathname}${toSearch(this.state)}${location.hash}`);
    this.controls.show(this.state);
    const changed = (k: keyof UiState) => JSON.stringify(before[k]) !== JSON.stringify(this.state[k]);
    if (changed('present')) document.body.classList.toggle('present', this.state.present);
    if (changed('view')) this.showView();
    if (changed('dataset')) return void this.loadTable();
    const runKeys: (keyof UiState)[] = ['algo', 'zc', 'budget', 'seed', 'ladder', 'keep', 'stage1', 'm', 'k', 'stage2'];
    if (runKeys.some(changed)) void this.startRun();
    if (changed('speed') && this.playing) void this.client.request({ type: 'play', stepsPerSecond: this.speed() });
    if (changed('x')) this.redraw();
    if ((changed('metric') || changed('kind')) && this.state.view === 'landscape') this.landscape.show(this.state.metric, this.state.kind);
  }

  private speed(): number | null {
    return this.state.speed === 'max' ? null : Number(this.state.speed);
  }

  private showView() {
    for (const el of document.querySelectorAll<HTMLElement>('.view')) el.classList.toggle('active', el.dataset.view === this.state.view);
    for (const b of document.querySelectorAll<HTMLElement>('.tabs [data-view]')) b.setAttribute('aria-selected', String(b.dataset.view === this.state.view));
    if (this.state.view === 'landscape' && this.table) this.landscape.show(this.state.metric, this.state.kind);
    if (this.state.view === 'experiment' && this.table) this.landscape.summaries();
    // Charts measure their container when shown.
    window.dispatchEvent(new Event('resize'));
  }

  // ---- wiring -----------------------------------------------------------------------------

  private wire() {
    this.controls.onChange = (patch) => this.setState(patch);
    const pick = (arch: number) => void this.showArch(arch);
    this.trajectoryView.onPick = pick;
    this.bracketView.onPick = pick;
    $('#play').onclick = () => void this.togglePlay();
    $('#step').onclick = () => void this.step();
    $('#finish').onclick = () => void this.finish();
    $('#reset').onclick = () => void this.startRun();
    for (const b of document.querySelectorAll<HTMLElement>('.tabs [data-view]')) b.onclick = () => this.setState({ view: b.dataset.view as UiState['view'] });
    $('#present').onclick = () => this.setState({ present: true });
    $('#present-exit').onclick = () => this.setState({ present: false });
    $('#copy-link').onclick = () => {
      void navigator.clipboard?.writeText(location.href).then(
        () => this.messages.show('warning', 'Link copied: it replays this run with the same seed.', 'copied'),
        () => this.messages.show('warning', `Copy this link: ${location.href}`, 'copied'),
      );
    };
    $('#export-json').onclick = () => this.export('json');
    $('#export-csv').onclick = () => this.export('csv');
    $('#export-svg').onclick = () => this.export('svg');
    $('#export-png').onclick = () => this.export('png');
    $('#exp-run').onclick = () => void this.runExperiment();
    $('#exp-cancel').onclick = () => void this.cancelExperiment();
    const algos = $('#exp-algos');
    algos.innerHTML = Object.entries(ALGOS)
      .map(([a, label]) => `<label><input type="checkbox" value="${a}" ${this.state.algos.includes(a as never) ? 'checked' : ''}/> ${label}</label>`)
      .join('');
    algos.onchange = () => {
      const list = [...algos.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value as UiState['algos'][number]);
      this.setState({ algos: list.length ? list : [...PAPER_ALGOS] });
    };
    document.addEventListener('keydown', (ev) => {
      const t = ev.target as HTMLElement;
      if (t.closest('input, select, textarea')) return;
      if (ev.key === ' ') {
        ev.preventDefault();
        void this.togglePlay();
      } else if (ev.key === 'ArrowRight') void this.step();
      else if (ev.key === 'r') void this.startRun();
      else if (ev.key === 'Escape' && this.state.present) this.setState({ present: false });
      else if (ev.key === 'p') this.setState({ present: !this.state.present });
    });
  }

  // ---- table ------------------------------------------------------------------------------

  private async fetchManifest(): Promise<Manifest> {
    try {
      const r = await fetch('tables/manifest.json');
      if (!r.ok) return {};
      return (await r.json()) as Manifest;
    } catch {
      return {};
    }
  }

  private loadTable(): Promise<void> {
    const job = (async () => {
      this.setStatus('loading', 'Loading table…');
      this.buttons(false);
      this.messages.dismiss('table');
      this.messages.dismiss('run');
      this.run = null;
      this.table = null;
      const ds = DATASETS[this.state.dataset];
      try {
        let source: TableSource;
        if (ds.file === null) {
          source = { kind: 'synthetic', seed: SYNTHETIC_SEED };
        } else {
          this.manifest ??= this.fetchManifest();
          const entry = (await this.manifest)[ds.file];
          if (!entry) {
            throw new EngineError(
              `The ${ds.label} table (tables/${ds.file}) is not on this server. Build it with scripts/serve.sh, which packs the tables from the shared data, or use the synthetic table.`,
              'missing_data',
            );
          }
          // Absolute, because the worker would resolve a relative URL against its own script.
          const url = new URL(`tables/${ds.file}`, document.baseURI).href;
          source = { kind: 'url', url, bytes: entry.bytes, sha256: entry.sha256 };
        }
        const info = await this.client.request({ type: 'loadTable', source });
        this.table = info;
        $('#table-title').textContent = info.title;
        $('#table-title').title = info.notes.join('\n\n');
        this.fixProxy(info);
        this.controls.setTable(info, this.state);
        this.landscape.setTable(info, (metrics) => {
          if (!metrics.includes(this.state.metric) && metrics.length) {
            const fallback = metrics.includes('zc:synflow') ? 'zc:synflow' : metrics[0];
            this.messages.show('warning', `metric=${this.state.metric} is not a metric of ${info.title}; showing ${fallback}.`, 'metric');
            this.setState({ metric: fallback });
          }
          this.controls.setMetrics(metrics, this.state);
        });
        $('#load-progress').hidden = true;
        await this.startRun();
        if (this.state.view !== 'run') this.showView();
      } catch (e) {
        $('#load-progress').hidden = true;
        if (e instanceof EngineError && e.kind === 'crashed') return; // reported by onCrash
        this.setStatus('error', 'No table');
        this.messages.show('error', `Could not load the table: ${(e as Error).message}`, 'table', this.state.dataset === 'synthetic' ? undefined : {
          label: 'Use the synthetic table',
          run: () => this.setState({ dataset: 'synthetic' }),
        });
      }
    })();
    return job;
  }

  private fixProxy(info: TableInfo) {
    if (info.proxies.includes(this.state.zc) || info.proxies.length === 0) return;
    const fallback = info.proxies.includes('synflow') ? 'synflow' : info.proxies[0];
    this.messages.show('warning', `zc=${this.state.zc}: ${info.title} has no proxy "${this.state.zc}"; using ${fallback}. It has: ${info.proxies.join(', ')}.`, 'zc');
    this.state = { ...this.state, zc: fallback };
    history.replaceState(null, '', `${location.pathname}${toSearch(this.state)}`);
  }

  private tableProgress(done: number, total: number) {
    const box = $('#load-progress');
    box.hidden = false;
    const bar = box.querySelector('progress')!;
    bar.max = Math.max(total, done, 1);
    bar.value = done;
    box.querySelector('span')!.textContent = `Downloading table: ${(done / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`;
  }

  // ---- run --------------------------------------------------------------------------------

  private async startRun() {
    if (!this.table) return;
    this.playing = false;
    this.messages.dismiss('run');
    const params = runParams(this.state, this.state.algo, this.table.default_budget_s ?? FALLBACK_BUDGET_S);
    try {
      this.run = await this.client.request({ type: 'startRun', params, seed: this.state.seed });
    } catch (e) {
      this.run = null;
      this.buttons(false);
      this.setStatus('error', 'Cannot run');
      this.messages.show('error', `Cannot start the run: ${(e as Error).message}`, 'run');
      return;
    }
    this.events = [];
    this.trajectoryView.setObjectives(this.run.objectives);
    this.landscape.resetPath();
    this.trajectory = emptyTrajectory();
    this.bracket = emptyBracket();
    this.outcome = undefined;
    $('#run-label').textContent = `${this.run.label} · seed ${this.run.seed} · budget ${this.run.budget_s?.toLocaleString('en') ?? '∞'} s${this.table.default_budget_s ? '' : ' (no paper budget for this table)'}`;
    $('#outcome').hidden = true;
    this.buttons(true);
    this.setStatus('ready', 'Ready');
    this.redraw();
    this.cellView.clear('Click an architecture in the trajectory or the bracket to see its cell.');
    if (!this.interactive) {
      this.interactive = true;
      performance.mark('mfnas-interactive');
      document.body.dataset.ready = '1';
    }
  }

  private async togglePlay() {
    if (!this.run || this.outcome) return;
    if (this.playing) {
      this.playing = false;
      this.setStatus('ready', 'Paused');
      await this.client.request({ type: 'pause' }).catch((e) => this.runError(e));
    } else {
      this.playing = true;
      this.setStatus('playing', 'Playing');
      await this.client.request({ type: 'play', stepsPerSecond: this.speed() }).catch((e) => this.runError(e));
    }
    this.buttons(true);
  }

  private async step() {
    if (!this.run || this.outcome) return;
    this.playing = false;
    try {
      this.onBatch(await this.client.request({ type: 'step', steps: 1 }), false);
    } catch (e) {
      this.runError(e);
    }
  }

  private async finish() {
    if (!this.run || this.outcome) return;
    this.playing = false;
    try {
      this.onBatch(await this.client.request({ type: 'finish' }), false);
    } catch (e) {
      this.runError(e);
    }
  }

  private runError(e: unknown) {
    if (e instanceof EngineError && e.kind === 'crashed') return; // reported by onCrash
    this.messages.show('error', `The run stopped: ${(e as Error).message}`, 'run');
  }

  private onBatch(batch: StepBatch, playing: boolean) {
    if (!this.run) return;
    for (const e of batch.events) this.events.push(e);
    foldTrajectory(this.trajectory, batch.events);
    foldBracket(this.bracket, batch.events);
    this.landscape.visit(batch.events);
    if (batch.outcome) {
      this.outcome = batch.outcome;
      this.playing = false;
      this.showOutcome();
      this.scheduleRedraw();
      return;
    }
    if (!playing && this.playing) {
      this.playing = false;
    }
    this.setStatus(this.playing ? 'playing' : 'ready', this.playing ? 'Playing' : `Paused at ${this.trajectory.evals} evaluations`);
    this.buttons(true);
    this.scheduleRedraw();
  }

  private showOutcome() {
    const o = this.outcome!;
    const el = $('#outcome');
    el.hidden = false;
    el.dataset.arch = String(o.arch);
    el.dataset.archString = o.arch_string;
    el.dataset.testAcc = o.test_acc === undefined ? '' : String(o.test_acc);
    el.dataset.costS = String(o.cost_s);
    el.dataset.seed = String(o.seed);
    el.innerHTML = `Returned arch #${o.arch}: test accuracy ${o.test_acc === undefined ? 'not in the table' : `${o.test_acc.toFixed(2)}%`} · ${Math.round(o.cost_s).toLocaleString('en')} s · ${o.epochs.toLocaleString('en')} epochs · ${o.evals.toLocaleString('en')} evaluations<br><code>${o.arch_string}</code>`;
    this.setStatus('done', 'Done');
    this.buttons(true);
    void this.showArch(o.arch);
  }

  private async showArch(key: number) {
    try {
      const a: ArchInfo = await this.client.request({ type: 'arch', key });
      this.cellView.render(a);
      labButtons($('#cell-info'), labCell(a, this.table?.title));
      if (this.state.arch !== key) this.setState({ arch: key });
    } catch (e) {
      this.messages.show('error', `Cannot show architecture ${key}: ${(e as Error).message}`, 'arch');
    }
  }

  private scheduleRedraw() {
    if (this.redrawPending) return;
    this.redrawPending = true;
    setTimeout(() => requestAnimationFrame(() => {
      this.redrawPending = false;
      this.redraw();
    }), REDRAW_MS);
  }

  /** Redraws the views, each in its own task so that no single task grows long. */
  private redraw() {
    const hasBracket = this.run?.algo === 'mf-nas' || this.run?.algo === 'sh';
    timed('redraw trajectory', () => this.trajectoryView.render(this.trajectory, this.state.x));
    setTimeout(() => {
      timed('redraw bracket', () => this.bracketView.render(this.bracket, hasBracket, this.outcome?.arch ?? null));
      setTimeout(() => timed('redraw landscape path', () => this.landscape.redrawPath()), 0);
    }, 0);
  }

  private buttons(enabled: boolean) {
    const done = this.outcome !== undefined;
    ($('#play') as HTMLButtonElement).disabled = !enabled || done;
    ($('#play') as HTMLButtonElement).textContent = this.playing ? '❚❚ Pause' : '▶ Play';
    ($('#step') as HTMLButtonElement).disabled = !enabled || done;
    ($('#finish') as HTMLButtonElement).disabled = !enabled || done;
    ($('#reset') as HTMLButtonElement).disabled = !enabled;
  }

  private setStatus(state: string, text: string) {
    const el = $('#status');
    el.dataset.state = state;
    el.textContent = text;
  }

  private onCrash(message: string) {
    this.playing = false;
    this.buttons(false);
    this.experimentButtons(false);
    this.setStatus('error', 'Engine stopped');
    this.messages.show('error', `The engine stopped: ${message}`, 'crash', {
      label: 'Restart the engine',
      run: () => {
        this.messages.dismiss('crash');
        this.state = { ...this.state, debug: '' };
        history.replaceState(null, '', `${location.pathname}${toSearch(this.state)}`);
        this.client.restart();
        void this.loadTable();
      },
    });
  }

  // ---- experiment -------------------------------------------------------------------------

  private experimentButtons(running: boolean) {
    ($('#exp-run') as HTMLButtonElement).disabled = running;
    ($('#exp-cancel') as HTMLButtonElement).disabled = !running;
  }

  private async runExperiment() {
    if (!this.table) return;
    const budget = this.table.default_budget_s ?? FALLBACK_BUDGET_S;
    const params = this.state.algos.map((a) => runParams(this.state, a, budget));
    this.messages.dismiss('experiment');
    try {
      this.experimentButtons(true);
      this.experiment = null;
      delete $('#exp-progress').dataset.ms;
      const { total } = await this.client.request({ type: 'startExperiment', params, seedStart: 1, runs: this.state.runs });
      this.experimentView.progress(0, total, null);
    } catch (e) {
      this.experimentButtons(false);
      this.messages.show('error', `Cannot run the experiment: ${(e as Error).message}`, 'experiment');
    }
  }

  private async cancelExperiment() {
    await this.client.request({ type: 'cancelExperiment' }).catch(() => {});
    this.experimentButtons(false);
    $('#exp-progress-text').textContent = 'Cancelled.';
  }

  // ---- export -----------------------------------------------------------------------------

  private export(format: 'json' | 'csv' | 'svg' | 'png') {
    const view = this.state.view;
    const stem = `mfnas-${this.state.dataset}-${view === 'run' ? `${this.state.algo}-seed${this.state.seed}` : view}`;
    if (view === 'landscape') return this.landscape.export(format, stem);
    if (view === 'experiment') {
      const entries = this.experiment?.entries;
      if ((format === 'json' || format === 'csv') && !entries) return this.messages.show('warning', 'Run an experiment first.', 'export');
      if (format === 'json') return download(`${stem}.json`, JSON.stringify({ table: this.table, entries, paper: this.paper }, null, 2), 'application/json');
      if (format === 'csv')
        return download(
          `${stem}.csv`,
          toCsv(
            ['algo', 'label', 'seed', 'arch', 'arch_string', 'test_acc', 'cost_s', 'epochs', 'evals', 'score'],
            entries!.flatMap((e) => e.outcomes.map((o) => [e.algo, e.summary.label, o.seed, o.arch, o.arch_string, o.test_acc, o.cost_s, o.epochs, o.evals, o.score])),
          ),
          'text/csv',
        );
      return this.figure(this.experimentView.chart, format, stem);
    }
    if (format === 'json') return download(`${stem}.json`, JSON.stringify({ url: location.href, table: this.table?.title, run: this.run, outcome: this.outcome, events: this.events }, null, 2), 'application/json');
    if (format === 'csv') {
      const rows = this.events.flatMap((e) => (e.type === 'evaluated' ? [[e.evals, e.total_s, e.arch, e.objective, e.score, e.test_acc, e.cost_s, e.epochs, e.charged]] : []));
      return download(`${stem}.csv`, toCsv(['evals', 'total_s', 'arch', 'objective', 'score', 'test_acc', 'cost_s', 'epochs', 'charged'], rows), 'text/csv');
    }
    const data = this.trajectoryView.figure(format, exportChart);
    return download(`${stem}.${format}`, data, 'image/svg+xml');
  }

  private figure(chart: import('./views/charts').Chart, format: 'svg' | 'png', stem: string) {
    const data = exportChart(chart, format);
    download(`${stem}.${format}`, data, 'image/svg+xml');
  }
}
