// The page shell: keeps the UI state (mirrored in the URL), talks to the engine worker, plays
// the run and folds its events into one run model, and hosts the views of the registry (tabs,
// lazily loaded modules, presentation mode, the phone drawer, keyboard shortcuts).
import type { ArchInfo, Event, PaperResult, StepBatch, TableInfo } from './types';
import { DATASETS, FALLBACK_BUDGET_S, REDRAW_MS, SYNTHETIC_SEED } from './config';
import { type UiState, addressOf, isLanding, parseUrl, playedRunParams, runParams } from './state';
import { EngineClient, EngineError } from './worker/client';
import type { TableSource } from './worker/protocol';
import { emptyTrajectory, foldTrajectory } from './models/trajectory';
import { emptyBracket, foldBracket } from './models/bracket';
import { Controls } from './views/controls';
import { Messages } from './views/messages';
import { download, toCsv } from './export';
import { timed } from './perf';
import { LANDING_VIEW, REGISTRY, viewParams } from './shell/registry';
import { shortcutFor, tabMove } from './shell/keys';
import { setPresenting } from './shell/present';
import { GlossaryTips } from './views/glossary';
import { overBudget, runSentence } from './models/runtitle';
import type { RunModel, Shell, ShellEvent, ShellEvents, View, ViewSpec } from './shell/types';

const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector<T>(sel)!;
/** The address of `state`, with the page's path and hash. */
const urlOf = (state: UiState) => `${location.pathname}${addressOf(state)}${location.hash}`;
/** The address in the address bar now. */
const currentUrl = () => `${location.pathname}${location.search}${location.hash}`;

type Manifest = Record<string, { bytes: number; sha256: string }>;

/** The most run events the page keeps for the JSON/CSV export (memory stays bounded on any budget). */
export const EVENTS_KEPT = 100_000;

interface Mounted {
  spec: ViewSpec;
  panel: HTMLElement;
  tab: HTMLButtonElement;
  view: Promise<View> | null;
}

export class App implements Shell {
  readonly client: EngineClient;
  private _state: UiState;
  private controls = new Controls($<HTMLFormElement>('#settings'));
  private messages = new Messages($('#messages'));
  private listeners = new Map<ShellEvent, Set<(...args: never[]) => void>>();
  private views: Mounted[] = [];

  private _table: TableInfo | null = null;
  readonly run: RunModel = { info: null, trajectory: emptyTrajectory(), bracket: emptyBracket(), outcome: undefined, spent: null, playing: false };
  /** The run's events, the first EVENTS_KEPT of them, for export and for views opened later. */
  private events: Event[] = [];
  private eventsSeen = 0;
  /** True while "To end" streams the rest of the run. */
  private toEnd = false;
  /** True once the run reached the page's evaluation limit. */
  private limited = false;
  private redrawPending = false;
  /** The pending replacement of the address (see `writeAddress`), 0 when none. */
  private addressTimer = 0;
  private paper: Promise<PaperResult[]>;
  private manifest: Promise<Manifest> | null = null;
  private interactive = false;
  private glossary!: GlossaryTips;

  constructor(makeWorker: () => Worker) {
    const { state, problems } = parseUrl(location.search, { views: REGISTRY.map((v) => v.id), viewParams: viewParams() });
    // The bare address is the front door: the first chapter, with something already moving.
    if (isLanding(location.search)) state.view = LANDING_VIEW;
    this._state = state;
    for (const p of problems) this.messages.show('warning', p);
    // The URL says what is used: a refused value leaves it (a shared link replays this run).
    if (problems.length) history.replaceState(null, '', urlOf(state));
    this.client = new EngineClient(makeWorker);
    this.client.on((msg) =>
      timed(`engine message ${msg.type}`, () => {
        switch (msg.type) {
          case 'events':
            this.onBatch(msg.batch, msg.playing);
            if (msg.limit !== undefined) this.onLimit(msg.limit);
            // Flow control: the engine waits for this before sending more; acknowledging in a
            // later task lets input and painting in between batches.
            setTimeout(() => void this.client.request({ type: 'ack', seq: msg.seq }).catch(() => {}), 0);
            return;
          case 'progress':
            if (msg.task === 'table') this.tableProgress(msg.done, msg.total);
            return;
          case 'experimentDone':
            return;
          case 'crashed':
            return this.onCrash(msg.message);
        }
      }),
    );
    this.paper = this.client.request({ type: 'paperNumbers' }).catch(() => []);
    this.glossary = new GlossaryTips(document.body, this._state.words);
    this.showWords();
    this.buildTabs();
    this.wire();
    this.controls.show(this._state);
    document.body.classList.toggle('present', this._state.present);
    setPresenting(this._state.present);
    this.showView();
    void this.boot();
  }

  // ---- Shell (what views see) ------------------------------------------------------------

  get state(): Readonly<UiState> {
    return this._state;
  }

  get table(): TableInfo | null {
    return this._table;
  }

  /** The paper's published numbers (from the engine). */
  paperNumbers(): Promise<PaperResult[]> {
    return this.paper;
  }

  /** The run's events kept so far, and how many there were in all. */
  runEvents(): { events: readonly Event[]; seen: number } {
    return { events: this.events, seen: this.eventsSeen };
  }

  on<E extends ShellEvent>(event: E, listener: ShellEvents[E]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (...args: never[]) => void);
    return () => set.delete(listener as (...args: never[]) => void);
  }

  private emit<E extends ShellEvent>(event: E, ...args: Parameters<ShellEvents[E]>) {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        (l as (...a: Parameters<ShellEvents[E]>) => void)(...args);
      } catch (e) {
        this.messages.show('error', `A view failed: ${(e as Error).message}`, `view-${event}`);
      }
    }
  }

  param(key: string): string | null {
    return this._state.extra[key] ?? null;
  }

  setParam(key: string, value: string | null) {
    const extra = { ...this._state.extra };
    if (value === null || value === '') delete extra[key];
    else extra[key] = value;
    this.set({ extra });
  }

  message(kind: 'error' | 'warning', text: string, key?: string) {
    this.messages.show(kind, text, key);
  }

  pickArch(key: number) {
    void this.client.request({ type: 'arch', arch: key }).then(
      (a: ArchInfo) => {
        this.emit('arch', a);
        if (this._state.arch !== key) this.set({ arch: key });
      },
      (e: Error) => this.messages.show('error', `Cannot show architecture ${key}: ${e.message}`, 'arch'),
    );
  }

  /** Changes the URL state as a new history entry, so that Back returns (moving between chapters). */
  navigate(patch: Partial<UiState>) {
    this.set(patch, 'push');
  }

  /** The address of the current state changed by `patch` (for links that open a figure elsewhere). */
  href(patch: Partial<UiState>): string {
    return `${location.pathname}${addressOf({ ...this._state, ...patch })}`;
  }

  play() {
    if (!this.run.playing) void this.togglePlay();
  }

  pause() {
    if (this.run.playing) void this.pauseRun();
  }

  finish() {
    if (!this.toEnd) void this.finishRun();
  }

  dockRunbar(into: HTMLElement | null) {
    const bar = $('#runbar');
    const head = $('#run-head');
    if (into) into.append(bar, head);
    else if (bar.nextElementSibling !== head || head.nextElementSibling !== $('#panels')) $('#panels').before(bar, head);
  }

  /**
   * Writes the state to the address bar: as a new entry (`push`), or replacing the entry at the
   * end of the task (`replace`), so that the several `set`s of one action write it once. A write
   * cost Chromium 0.3-25 ms of main-thread time here (the most while a chapter opened, which wrote
   * it three times in one task); an address that did not change is not written.
   */
  private writeAddress(how: 'replace' | 'push' = 'replace', leaving: UiState = this._state) {
    if (how === 'replace') {
      this.addressTimer ||= window.setTimeout(() => this.flushAddress());
      return;
    }
    // The entry being left keeps the state it had, then the new state gets an entry of its own.
    if (this.addressTimer) this.flushAddress(leaving);
    if (urlOf(this._state) !== currentUrl()) history.pushState(null, '', urlOf(this._state));
  }

  /** Writes a replacement of the address that waits, now (before the address is read or left). */
  private flushAddress(state: UiState = this._state) {
    this.dropWaitingAddress();
    if (urlOf(state) !== currentUrl()) history.replaceState(null, '', urlOf(state));
  }

  private dropWaitingAddress() {
    window.clearTimeout(this.addressTimer);
    this.addressTimer = 0;
  }

  set(patch: Partial<UiState>, how: 'replace' | 'push' = 'replace') {
    const before = this._state;
    this._state = { ...before, ...patch };
    this.writeAddress(how, before);
    this.controls.show(this._state);
    const changedKeys = new Set<string>();
    for (const k of Object.keys(this._state) as (keyof UiState)[]) {
      if (k === 'extra') continue;
      if (JSON.stringify(before[k]) !== JSON.stringify(this._state[k])) changedKeys.add(k);
    }
    for (const k of new Set([...Object.keys(before.extra), ...Object.keys(this._state.extra)])) {
      if (before.extra[k] !== this._state.extra[k]) changedKeys.add(`extra.${k}`);
    }
    if (changedKeys.size === 0) return;
    if (changedKeys.has('present')) this.present(this._state.present);
    if (changedKeys.has('words')) this.showWords();
    if (changedKeys.has('view')) this.showView();
    else this.showRunbar();
    this.emit('state', this._state, changedKeys);
    if (changedKeys.has('dataset')) return void this.loadTable();
    const runKeys = ['algo', 'zc', 'budget', 'seed', 'ladder', 'keep', 'stage1', 'm', 'k', 'stage2', 'start'];
    if (runKeys.some((k) => changedKeys.has(k))) void this.startRun();
    if (changedKeys.has('speed') && this.run.playing && !this.toEnd) void this.client.request({ type: 'play', stepsPerSecond: this.speed() });
  }

  // ---- views -----------------------------------------------------------------------------

  private buildTabs() {
    const list = $('#tabs');
    const panels = $('#panels');
    for (const spec of REGISTRY) {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.id = `tab-${spec.id}`;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', `view-${spec.id}`);
      tab.dataset.view = spec.id;
      tab.textContent = spec.label;
      list.append(tab);
      const panel = document.createElement('div');
      panel.id = `view-${spec.id}`;
      panel.className = 'view';
      panel.dataset.view = spec.id;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      panel.tabIndex = 0;
      panel.hidden = true;
      panels.append(panel);
      this.views.push({ spec, panel, tab, view: null });
    }
    list.addEventListener('click', (ev) => {
      const tab = (ev.target as HTMLElement).closest<HTMLElement>('[role=tab]');
      if (tab) this.set({ view: tab.dataset.view! });
    });
    list.addEventListener('keydown', (ev) => {
      const i = this.views.findIndex((m) => m.tab === ev.target);
      if (i < 0) return;
      const to = tabMove(ev.key, i, this.views.length);
      if (to === null) return;
      ev.preventDefault();
      this.views[to].tab.focus();
      this.set({ view: this.views[to].spec.id });
    });
  }

  private current(): Mounted {
    return this.views.find((m) => m.spec.id === this._state.view) ?? this.views[0];
  }

  private showView() {
    const active = this.current();
    for (const m of this.views) {
      const on = m === active;
      m.tab.setAttribute('aria-selected', String(on));
      m.tab.tabIndex = on ? 0 : -1;
      if (m.panel.hidden !== !on) {
        m.panel.hidden = !on;
        if (!on && m.view) void m.view.then((v) => v.hide?.());
      }
    }
    document.body.dataset.view = active.spec.id;
    // A view with its own pickers (the chapters) hides the settings panel.
    document.body.classList.toggle('no-settings', active.spec.settings === false);
    if (active.spec.settings === false) this.closeDrawer();
    this.showRunbar();
    void this.mounted(active).then((v) => {
      if (this.current() !== active) return;
      timed(`show view ${active.spec.id}`, () => v.show());
      if (this._state.present) this.scrollToFigure(v);
    });
  }

  /** The play bar and the run's title, above views that follow the run (some chapters do, some not). */
  private showRunbar() {
    const uses = this.current().spec.usesRun ?? false;
    const on = typeof uses === 'function' ? uses(this._state) : uses;
    $('#runbar').hidden = !on;
    $('#run-head').hidden = !on;
  }

  /** The view of `m`, loading and mounting its module the first time. */
  private mounted(m: Mounted): Promise<View> {
    m.view ??= (async () => {
      m.panel.setAttribute('aria-busy', 'true');
      m.panel.innerHTML = `<p class="muted loading-view">Loading the ${m.spec.label} view…</p>`;
      try {
        const mod = await m.spec.load();
        m.panel.innerHTML = '';
        return timed(`mount view ${m.spec.id}`, () => mod.mount(m.panel, this));
      } catch (e) {
        m.view = null;
        const text = `The ${m.spec.label} view could not be loaded: ${(e as Error).message}`;
        m.panel.innerHTML = `<p class="muted">${text}</p>`;
        this.messages.show('error', text, `view-${m.spec.id}`);
        throw e;
      } finally {
        m.panel.removeAttribute('aria-busy');
      }
    })();
    return m.view;
  }

  /** Plain words or exact names on every label (views redraw on the state event). */
  private showWords() {
    const exact = this._state.words === 'exact';
    this.glossary.setWords(this._state.words);
    $('#words').setAttribute('aria-pressed', String(exact));
    if (this.run.info) $('#run-label').textContent = this.runLabel();
  }

  private runLabel(): string {
    const info = this.run.info!;
    return `${runSentence(info, this._state.words)}${this._table?.default_budget_s ? '' : ' (This table has no paper budget.)'}`;
  }

  private present(on: boolean) {
    document.body.classList.toggle('present', on);
    setPresenting(on);
    this.closeDrawer();
    $('#present').setAttribute('aria-pressed', String(on));
    this.emit('present', on);
    window.dispatchEvent(new Event('resize'));
    if (on) void this.mounted(this.current()).then((v) => this.scrollToFigure(v));
  }

  /** Brings the tabs, the view's controls and its figure to the top of the screen. */
  private scrollToFigure(v: View) {
    requestAnimationFrame(() => {
      $('#views').scrollIntoView({ block: 'start' });
      // A figure that still starts below the fold gets the screen to itself.
      const fig = v.figure;
      if (fig && fig.getBoundingClientRect().top > window.innerHeight / 2) fig.scrollIntoView({ block: 'start' });
    });
  }

  private openDrawer() {
    document.body.classList.add('drawer-open');
    $('#drawer-toggle').setAttribute('aria-expanded', 'true');
    $('#controls').querySelector<HTMLElement>('select, input, button')?.focus();
  }

  private closeDrawer() {
    if (!document.body.classList.contains('drawer-open')) return;
    document.body.classList.remove('drawer-open');
    $('#drawer-toggle').setAttribute('aria-expanded', 'false');
  }

  // ---- wiring ----------------------------------------------------------------------------

  private wire() {
    this.controls.onChange = (patch) => this.set(patch);
    this.controls.onInvalid = (field, text) => this.messages.show('warning', text, `field-${field}`);
    this.controls.onValid = (field) => this.messages.dismiss(`field-${field}`);
    $('#play').onclick = () => void this.togglePlay();
    $('#step').onclick = () => void this.step();
    $('#finish').onclick = () => void this.finishRun();
    $('#reset').onclick = () => void this.startRun();
    $('#present').onclick = () => this.set({ present: !this._state.present });
    $('#words').onclick = () => this.set({ words: this._state.words === 'exact' ? 'plain' : 'exact' });
    $('#drawer-toggle').onclick = () => (document.body.classList.contains('drawer-open') ? this.closeDrawer() : this.openDrawer());
    $('#drawer-close').onclick = () => {
      this.closeDrawer();
      $('#drawer-toggle').focus();
    };
    $('#copy-link').onclick = () => {
      this.flushAddress();
      void navigator.clipboard?.writeText(location.href).then(
        () => this.messages.show('warning', 'Link copied: it replays this run with the same seed.', 'copied'),
        () => this.messages.show('warning', `Copy this link: ${location.href}`, 'copied'),
      );
    };
    for (const fmt of ['json', 'csv', 'svg', 'png'] as const) $(`#export-${fmt}`).onclick = () => void this.export(fmt);
    // Back and Forward between chapters (the only moves that add history entries).
    window.addEventListener('popstate', () => {
      // The entry we came back to says the state; a replacement still waiting is of the one left.
      this.dropWaitingAddress();
      const { state } = parseUrl(location.search, { views: REGISTRY.map((v) => v.id), viewParams: viewParams() });
      if (isLanding(location.search)) state.view = LANDING_VIEW;
      this.set(state);
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && document.body.classList.contains('drawer-open')) {
        this.closeDrawer();
        $('#drawer-toggle').focus();
        return;
      }
      const what = shortcutFor(ev, this._state.present);
      if (what === null) return;
      ev.preventDefault();
      if (what === 'play') void this.togglePlay();
      else if (what === 'step') void this.step();
      else if (what === 'reset') void this.startRun();
      else if (what === 'present') this.set({ present: !this._state.present });
      else if (what === 'exitPresent') this.set({ present: false });
    });
  }

  // ---- table -----------------------------------------------------------------------------

  private async boot() {
    await this.loadTable();
    if (this._state.debug === 'panic') void this.client.request({ type: 'debugPanic' }).catch(() => {});
  }

  private async fetchManifest(): Promise<Manifest> {
    try {
      const r = await fetch('tables/manifest.json');
      if (!r.ok) return {};
      return (await r.json()) as Manifest;
    } catch {
      return {};
    }
  }

  private async loadTable(): Promise<void> {
    this.setStatus('loading', 'Loading table…');
    this.buttons(false);
    this.messages.dismiss('table');
    this.messages.dismiss('run');
    this.run.info = null;
    this._table = null;
    const ds = DATASETS[this._state.dataset];
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
      this._table = info;
      $('#table-title').textContent = info.title;
      $('#table-title').title = info.notes.join('\n\n');
      this.fixProxy(info);
      this.controls.setTable(info, this._state);
      $('#load-progress').hidden = true;
      this.emit('table', info);
      await this.startRun();
    } catch (e) {
      $('#load-progress').hidden = true;
      if (e instanceof EngineError && e.kind === 'crashed') return; // reported by onCrash
      this.setStatus('error', 'No table');
      this.messages.show(
        'error',
        `Could not load the table: ${(e as Error).message}`,
        'table',
        this._state.dataset === 'synthetic' ? undefined : { label: 'Use the synthetic table', run: () => this.set({ dataset: 'synthetic' }) },
      );
    }
  }

  private fixProxy(info: TableInfo) {
    if (info.proxies.includes(this._state.zc) || info.proxies.length === 0) return;
    const fallback = info.proxies.includes('synflow') ? 'synflow' : info.proxies[0];
    this.messages.show('warning', `zc=${this._state.zc}: ${info.title} has no proxy "${this._state.zc}"; using ${fallback}. It has: ${info.proxies.join(', ')}.`, 'zc');
    this._state = { ...this._state, zc: fallback };
    this.writeAddress();
  }

  private tableProgress(done: number, total: number) {
    const box = $('#load-progress');
    box.hidden = false;
    const bar = box.querySelector('progress')!;
    bar.max = Math.max(total, done, 1);
    bar.value = done;
    box.querySelector('span')!.textContent = `Downloading table: ${(done / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`;
  }

  // ---- run -------------------------------------------------------------------------------

  private speed(): number | null {
    return this._state.speed === 'max' ? null : Number(this._state.speed);
  }

  private budget(): number {
    return this._table?.default_budget_s ?? FALLBACK_BUDGET_S;
  }

  /** Run parameters of the current settings (the experiment view uses them for every algorithm). */
  runParams(algo = this._state.algo) {
    return runParams(this._state, algo, this.budget());
  }

  private async startRun() {
    if (!this._table) return;
    this.run.playing = false;
    this.setToEnd(false);
    this.messages.dismiss('run');
    try {
      this.run.info = await this.client.request({ type: 'startRun', params: playedRunParams(this._state, this.budget()), seed: this._state.seed });
    } catch (e) {
      this.run.info = null;
      this.buttons(false);
      this.setStatus('error', 'Cannot run');
      this.messages.show('error', `Cannot start the run: ${(e as Error).message}`, 'run');
      return;
    }
    this.events = [];
    this.eventsSeen = 0;
    this.limited = false;
    this.run.trajectory = emptyTrajectory();
    this.run.bracket = emptyBracket();
    this.run.outcome = undefined;
    this.run.spent = null;
    const info = this.run.info;
    $('#run-label').textContent = this.runLabel();
    $('#outcome').hidden = true;
    this.buttons(true);
    this.setStatus('ready', 'Ready');
    this.emit('runStarted', info);
    this.emit('redraw');
    if (!this.interactive) {
      this.interactive = true;
      performance.mark('mfnas-interactive');
      document.body.dataset.ready = '1';
    }
  }

  private async togglePlay() {
    if (!this.run.info || this.run.outcome) return;
    if (this.run.playing) {
      await this.pauseRun();
    } else {
      this.run.playing = true;
      this.setStatus('playing', 'Playing');
      this.buttons(true);
      await this.client.request({ type: 'play', stepsPerSecond: this.speed() }).catch((e) => this.runError(e));
    }
  }

  private async pauseRun() {
    const wasToEnd = this.toEnd;
    this.run.playing = false;
    this.setToEnd(false);
    await this.client.request({ type: 'pause' }).catch((e) => this.runError(e));
    this.setStatus('ready', wasToEnd ? `Stopped at ${this.run.trajectory.evals.toLocaleString('en')} evaluations` : `Paused at ${this.run.trajectory.evals.toLocaleString('en')} evaluations`);
    this.buttons(true);
  }

  private async step() {
    if (!this.run.info || this.run.outcome) return;
    if (this.run.playing) await this.pauseRun();
    try {
      this.onBatch(await this.client.request({ type: 'step', steps: 1 }), false);
    } catch (e) {
      this.runError(e);
    }
  }

  /** Runs to the end in the worker, streaming events with progress; Stop (or Pause) cancels. */
  private async finishRun() {
    if (!this.run.info || this.run.outcome) return;
    if (this.toEnd) return void this.pauseRun();
    this.run.playing = true;
    this.setToEnd(true);
    this.setStatus('playing', 'Running to the end');
    this.buttons(true);
    await this.client.request({ type: 'finish' }).catch((e) => this.runError(e));
  }

  private setToEnd(on: boolean) {
    this.toEnd = on;
    const bar = $('#run-progress');
    bar.hidden = !on;
    $('#finish').textContent = on ? '■ Stop' : 'To end';
    $('#finish').title = on ? 'Stop running to the end (the run stays where it is)' : 'Run to the end, with progress; it can be stopped';
  }

  private runError(e: unknown) {
    this.run.playing = false;
    this.setToEnd(false);
    this.buttons(true);
    if (e instanceof EngineError && e.kind === 'crashed') return; // reported by onCrash
    this.messages.show('error', `The run stopped: ${(e as Error).message}`, 'run');
  }

  private onBatch(batch: StepBatch, playing: boolean) {
    if (!this.run.info) return;
    for (const e of batch.events) {
      if (this.events.length < EVENTS_KEPT) this.events.push(e);
    }
    this.eventsSeen += batch.events.length;
    foldTrajectory(this.run.trajectory, batch.events);
    foldBracket(this.run.bracket, batch.events);
    this.run.spent = batch.spent;
    this.emit('batch', batch.events);
    if (this.toEnd) this.showRunProgress();
    if (batch.outcome) {
      this.run.outcome = batch.outcome;
      this.run.playing = false;
      this.setToEnd(false);
      this.showOutcome();
      this.scheduleRedraw();
      return;
    }
    if (!playing && this.run.playing) {
      this.run.playing = false;
      this.setToEnd(false);
    }
    if (!this.limited) this.setStatus(this.run.playing ? 'playing' : 'ready', this.run.playing ? (this.toEnd ? 'Running to the end' : 'Playing') : `Paused at ${this.run.trajectory.evals.toLocaleString('en')} evaluations`);
    this.buttons(true);
    this.scheduleRedraw();
  }

  /** The run reached the page's evaluation limit: it stays where it is, and the page says why. */
  private onLimit(limit: number) {
    this.limited = true;
    this.run.playing = false;
    this.setToEnd(false);
    this.buttons(true);
    this.setStatus('ready', `Stopped at the limit of ${limit.toLocaleString('en')} evaluations`);
    this.messages.show(
      'warning',
      `The run stopped at ${limit.toLocaleString('en')} evaluations, the most the page runs (its memory stays bounded; the engine keeps a little per evaluation). \`mfnas run\` on the command line has no such limit.`,
      'run',
    );
  }

  private showRunProgress() {
    const spent = this.run.spent;
    const budget = this.run.info?.budget_s;
    const bar = $<HTMLProgressElement>('#run-progress progress');
    const text = $('#run-progress span');
    if (!spent) return;
    if (budget) {
      bar.max = budget;
      bar.value = Math.min(budget, spent.seconds);
    } else {
      bar.removeAttribute('value');
    }
    text.textContent = `${spent.evals.toLocaleString('en')} evaluations · ${Math.round(spent.seconds).toLocaleString('en')} s${budget ? ` of ${budget.toLocaleString('en')} s (${((100 * spent.seconds) / budget).toFixed(budget > 1e6 ? 3 : 0)}%)` : ''}${this.eventsSeen > EVENTS_KEPT ? ` · keeping the first ${EVENTS_KEPT.toLocaleString('en')} events for export` : ''}`;
  }

  private showOutcome() {
    const o = this.run.outcome!;
    const el = $('#outcome');
    el.hidden = false;
    el.dataset.arch = String(o.arch);
    el.dataset.archString = o.arch_string;
    el.dataset.testAcc = o.test_acc === undefined ? '' : String(o.test_acc);
    el.dataset.costS = String(o.cost_s);
    el.dataset.seed = String(o.seed);
    el.innerHTML = `Returned arch #${o.arch}: test accuracy ${o.test_acc === undefined ? 'not in the table' : `${o.test_acc.toFixed(2)}%`} · ${Math.round(o.cost_s).toLocaleString('en')} s · ${o.epochs.toLocaleString('en')} epochs · ${o.evals.toLocaleString('en')} evaluations<br><code>${o.arch_string}</code>${overBudget(o.cost_s, this.run.info)}`;
    this.setStatus('done', 'Done');
    this.buttons(true);
    this.pickArch(o.arch);
  }

  private scheduleRedraw() {
    if (this.redrawPending) return;
    this.redrawPending = true;
    setTimeout(
      () =>
        requestAnimationFrame(() => {
          this.redrawPending = false;
          this.emit('redraw');
        }),
      REDRAW_MS,
    );
  }

  private buttons(enabled: boolean) {
    const done = this.run.outcome !== undefined || this.limited;
    const play = $<HTMLButtonElement>('#play');
    play.disabled = !enabled || done || this.toEnd;
    play.textContent = this.run.playing && !this.toEnd ? '❚❚ Pause' : '▶ Play';
    play.setAttribute('aria-label', this.run.playing && !this.toEnd ? 'Pause' : 'Play');
    $<HTMLButtonElement>('#step').disabled = !enabled || done;
    $<HTMLButtonElement>('#finish').disabled = !enabled || done;
    $<HTMLButtonElement>('#reset').disabled = !enabled;
  }

  private setStatus(state: string, text: string) {
    const el = $('#status');
    el.dataset.state = state;
    el.textContent = text;
  }

  private onCrash(message: string) {
    this.run.playing = false;
    this.setToEnd(false);
    this.buttons(false);
    this.setStatus('error', 'Engine stopped');
    this.messages.show('error', `The engine stopped: ${message}`, 'crash', {
      label: 'Restart the engine',
      run: () => {
        this.messages.dismiss('crash');
        this._state = { ...this._state, debug: '' };
        this.writeAddress();
        this.client.restart();
        void this.loadTable();
      },
    });
  }

  // ---- export ----------------------------------------------------------------------------

  private async export(format: 'json' | 'csv' | 'svg' | 'png') {
    const view = this._state.view;
    const stem = `mfnas-${this._state.dataset}-${view === 'run' ? `${this._state.algo}-seed${this._state.seed}` : view}`;
    const v = await this.mounted(this.current());
    if (v.export) return v.export(format, stem);
    this.messages.show('warning', `The ${this.current().spec.label} view has nothing to export as ${format.toUpperCase()}.`, 'export');
  }

  /** The run's events as a JSON or CSV download (used by the run view's export). */
  exportRunEvents(format: 'json' | 'csv', stem: string) {
    const note =
      this.eventsSeen > this.events.length
        ? `the page keeps the first ${EVENTS_KEPT} of the run's ${this.eventsSeen} events; \`mfnas run --events out.jsonl\` writes them all`
        : undefined;
    this.flushAddress();
    if (format === 'json') {
      return download(
        `${stem}.json`,
        JSON.stringify({ url: location.href, table: this._table?.title, run: this.run.info, outcome: this.run.outcome, events: this.events, ...(note ? { note } : {}) }, null, 2),
        'application/json',
      );
    }
    const rows = this.events.flatMap((e) => (e.type === 'evaluated' ? [[e.evals, e.total_s, e.arch, e.objective, e.score, e.test_acc, e.cost_s, e.epochs, e.charged]] : []));
    if (note) this.messages.show('warning', `CSV export: ${note}.`, 'export');
    return download(`${stem}.csv`, toCsv(['evals', 'total_s', 'arch', 'objective', 'score', 'test_acc', 'cost_s', 'epochs', 'charged'], rows), 'text/csv');
  }
}
