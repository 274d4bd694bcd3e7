// The worker's logic, free of `self` so it can be tested in Node: it owns one wasm session,
// answers requests, and plays runs and experiments in slices of a few milliseconds so that a
// pause, step or cancel is answered at once.
import type { Request, Response, TableSource } from './protocol';
import { assertNever } from './protocol';
import { COLUMNAR, pack } from './wire';
import type { AlgoParams, ArchInfo, CellLandscape, PaperPage, ReportProgress, ReportRequest, Event, ExperimentProgress, Funnel, LandscapeSummary, LonExport, Neighbour, PaperResult, RunInfo, SpaceMap, StepBatch, TableInfo, WholeRun } from '../types';

/** The parts of the wasm `Session` the engine uses. */
export interface SessionLike {
  loadTable(bytes: Uint8Array): TableInfo;
  loadSyntheticTable(seed: number): TableInfo;
  startRun(params: AlgoParams, seed: number): RunInfo;
  step(maxSteps: number): StepBatch;
  arch(key: number): ArchInfo;
  parseArch(text: string): number;
  startExperiment(params: AlgoParams[], seedStart: number, runs: number): number;
  experimentStep(maxRuns: number): ExperimentProgress;
  cancelExperiment(): void;
  landscapeMetrics(): string[];
  landscape(metric: string, kind: string): LonExport;
  landscapeSummary(metric: string): LandscapeSummary;
  spaceMap(metric: string): SpaceMap;
  funnel(metric: string): Funnel;
  neighbours(key: number): Neighbour[];
  cellLandscape(id: number, metric: string): CellLandscape;
  wholeRun(params: AlgoParams, seed: number): WholeRun;
  paperStart(request: ReportRequest): ReportProgress;
  paperStep(maxUnits: number): ReportProgress;
  paperResult(): PaperPage;
  paperCancel(): void;
  coverage(params: AlgoParams): string[];
}

export interface EngineHost {
  session: SessionLike;
  post(msg: Response): void;
  now(): number;
  /** Lets queued messages in (a macrotask), then resumes. */
  yieldNow(): Promise<void>;
  sleep(ms: number): Promise<void>;
  fetchBytes(url: string, onProgress: (done: number, total: number) => void, expected?: number): Promise<Uint8Array>;
  sha256Hex(bytes: Uint8Array): Promise<string>;
  paperNumbers(): PaperResult[];
  debugPanic(): void;
  /** The panic message the wasm hook reported, if any. */
  panicMessage(): string | null;
  /** Bytes of the wasm instance's linear memory. */
  memoryBytes(): number;
}

/** How long one slice of work may take before the worker looks at its messages again. */
export const SLICE_MS = 8;
/**
 * Steps per wasm call inside a slice: FIRST_CHUNK at first, then as many as take about CALL_MS,
 * at most MAX_CHUNK. Every call also builds the views' snapshot, which costs about as much as
 * ten steps of local search, so a run to the end gains from long calls (local search took about
 * a third more steps in its first 10 s, measured side by side); an algorithm with costly steps
 * keeps short calls, so a slice still ends on time.
 */
const FIRST_CHUNK = 32;
const MAX_CHUNK = 512;
const CALL_MS = 2;
/**
 * How many units of work (steps, runs) the next call should do to take about `aimMs`, given that
 * the last one did `did` units in `tookMs`: at least 1, at most `max`. The clock may read 0 for
 * a quick call, so a call counts as at least 0.05 ms.
 */
export function unitsFor(aimMs: number, did: number, tookMs: number, max: number): number {
  return Math.max(1, Math.min(max, Math.round(did * (aimMs / Math.max(tookMs, 0.05)))));
}
/** How often a playing run with a speed limit wakes up. */
const FRAME_MS = 16;
/**
 * The most evaluations one run may take in the page. The page's own memory is bounded on any
 * budget, but the engine's searchers keep a little per evaluation (local search its history),
 * so a run with an enormous budget stops here, saying so; `mfnas run` has no such limit.
 */
export const EVAL_LIMIT = 3_000_000;

/**
 * The most events messages the play loop sends ahead of the page's acknowledgements: one, so
 * that while the worker computes the next slice the page's main thread is free for input and
 * painting (a run to the end produces events faster than a page can fold them).
 */
export const MAX_IN_FLIGHT = 1;

export class Engine {
  private playing = false;
  private stepsPerSecond: number | null = null;
  private credit = 0;
  private loopToken = 0;
  private experimentToken = 0;
  private paperToken = 0;
  private crashed: string | null = null;
  /** Flow control: events messages sent and acknowledged, and the loop waiting for an ack. */
  private sent = 0;
  private acked = 0;
  private wakeOnAck: (() => void) | null = null;
  /** Evaluations of the current run so far (for EVAL_LIMIT). */
  private evals = 0;

  constructor(private host: EngineHost) {}

  /** Handles one request; resolves when its reply has been posted. */
  async handle(req: Request): Promise<void> {
    if (this.crashed !== null) {
      this.host.post({ type: 'error', id: req.id, kind: 'crashed', message: `the engine crashed (${this.crashed}); restart it` });
      return;
    }
    try {
      await this.dispatch(req);
    } catch (e) {
      this.fail(req.id, e);
    }
  }

  private reply<K extends Request['type']>(id: number, request: K, result: import('./protocol').Results[K]) {
    const lists = COLUMNAR[request];
    const wire = lists ? pack(result as object, lists) : result;
    this.host.post({ type: 'reply', id, request, result: wire } as Response);
  }

  private async dispatch(req: Request): Promise<void> {
    const s = this.host.session;
    switch (req.type) {
      case 'loadTable': {
        this.stopAll();
        const info = await this.loadTable(req.source);
        return this.reply(req.id, 'loadTable', info);
      }
      case 'startRun': {
        this.stopPlaying();
        this.evals = 0;
        return this.reply(req.id, 'startRun', s.startRun(req.params, req.seed));
      }
      case 'play': {
        this.stepsPerSecond = req.stepsPerSecond;
        if (!this.playing) {
          this.playing = true;
          this.credit = 0;
          void this.playLoop();
        }
        return this.reply(req.id, 'play', { playing: true });
      }
      case 'pause':
        this.stopPlaying();
        return this.reply(req.id, 'pause', { playing: false });
      case 'step': {
        this.stopPlaying();
        if (this.evals >= EVAL_LIMIT) throw new LimitError();
        const b = s.step(Math.max(1, Math.floor(req.steps)));
        this.evals = b.spent.evals;
        return this.reply(req.id, 'step', b);
      }
      case 'finish': {
        // Runs to the end as fast as the worker can, streaming events in slices like play, so
        // that memory stays bounded on any budget and pause stops it at once.
        this.stepsPerSecond = null;
        if (!this.playing) {
          this.playing = true;
          this.credit = 0;
          void this.playLoop();
        }
        return this.reply(req.id, 'finish', { playing: true });
      }
      case 'arch':
        return this.reply(req.id, 'arch', s.arch(req.arch));
      case 'parseArch':
        return this.reply(req.id, 'parseArch', s.parseArch(req.text));
      case 'startExperiment': {
        this.experimentToken++;
        const total = s.startExperiment(req.params, req.seedStart, req.runs);
        this.reply(req.id, 'startExperiment', { total });
        void this.experimentLoop(total);
        return;
      }
      case 'cancelExperiment': {
        this.experimentToken++;
        s.cancelExperiment();
        return this.reply(req.id, 'cancelExperiment', { cancelled: true });
      }
      case 'landscapeMetrics':
        return this.reply(req.id, 'landscapeMetrics', s.landscapeMetrics());
      case 'landscape': {
        // A dense network has tens of thousands of edges: sending only the ones the page draws
        // keeps the main thread from spending a long task unpacking the message.
        const lon = s.landscape(req.metric, req.kind);
        const edgesTotal = lon.edges.length;
        if (req.maxEdges !== undefined && lon.edges.length > req.maxEdges) {
          lon.edges = lon.edges
            .filter((e) => e.source !== e.target)
            .sort((a, b) => b.weight - a.weight || a.source - b.source || a.target - b.target)
            .slice(0, req.maxEdges);
        }
        return this.reply(req.id, 'landscape', { ...lon, edgesTotal });
      }
      case 'landscapeSummary':
        return this.reply(req.id, 'landscapeSummary', s.landscapeSummary(req.metric));
      case 'spaceMap':
        return this.reply(req.id, 'spaceMap', s.spaceMap(req.metric));
      case 'funnel':
        return this.reply(req.id, 'funnel', s.funnel(req.metric));
      case 'neighbours':
        return this.reply(req.id, 'neighbours', s.neighbours(req.arch));
      case 'cellLandscape':
        return this.reply(req.id, 'cellLandscape', s.cellLandscape(req.arch, req.metric));
      case 'wholeRun':
        return this.reply(req.id, 'wholeRun', s.wholeRun(req.params, req.seed));
      case 'paperStart': {
        this.paperToken++;
        const first = s.paperStart(req.request);
        this.reply(req.id, 'paperStart', first);
        void this.paperLoop(first.total);
        return;
      }
      case 'paperCancel': {
        this.paperToken++;
        s.paperCancel();
        return this.reply(req.id, 'paperCancel', { cancelled: true });
      }
      case 'coverage':
        return this.reply(req.id, 'coverage', s.coverage(req.params));
      case 'paperNumbers':
        return this.reply(req.id, 'paperNumbers', this.host.paperNumbers());
      case 'debugPanic':
        this.host.debugPanic();
        return this.reply(req.id, 'debugPanic', null);
      case 'memory':
        return this.reply(req.id, 'memory', { wasmBytes: this.host.memoryBytes() });
      case 'ack':
        this.acked = Math.max(this.acked, req.seq);
        this.wakeOnAck?.();
        return this.reply(req.id, 'ack', null);
      default:
        return assertNever(req, 'request');
    }
  }

  private async loadTable(source: TableSource): Promise<TableInfo> {
    switch (source.kind) {
      case 'synthetic':
        return this.host.session.loadSyntheticTable(source.seed);
      case 'url': {
        const bytes = await this.host.fetchBytes(
          source.url,
          (done, total) => this.host.post({ type: 'progress', task: 'table', done, total }),
          source.bytes,
        );
        if (source.bytes !== undefined && bytes.length !== source.bytes) {
          throw new TableError(
            `table file ${source.url} has ${bytes.length} bytes but the manifest says ${source.bytes}: it is damaged or stale; rebuild it with scripts/serve.sh`,
          );
        }
        if (source.sha256 !== undefined) {
          const got = await this.host.sha256Hex(bytes);
          if (got !== source.sha256) {
            throw new TableError(
              `table file ${source.url} fails its integrity check (SHA-256 ${got.slice(0, 12)}… instead of ${source.sha256.slice(0, 12)}…); rebuild it with scripts/serve.sh`,
            );
          }
        }
        return this.host.session.loadTable(bytes);
      }
      default:
        return assertNever(source, 'table source');
    }
  }

  private stopPlaying() {
    this.playing = false;
    this.loopToken++;
  }

  private stopAll() {
    this.stopPlaying();
    this.experimentToken++;
    this.paperToken++;
  }

  private async playLoop(): Promise<void> {
    const token = ++this.loopToken;
    const { host } = this;
    let last = host.now();
    let chunk = FIRST_CHUNK;
    while (this.playing && token === this.loopToken) {
      const t0 = host.now();
      let allowed = Number.POSITIVE_INFINITY;
      if (this.stepsPerSecond !== null) {
        // Credit accrues with wall time, capped so a stalled tab does not burst afterwards.
        this.credit = Math.min(this.credit + ((t0 - last) / 1000) * this.stepsPerSecond, this.stepsPerSecond + 1);
        allowed = Math.floor(this.credit);
      }
      last = t0;
      const events: Event[] = [];
      let steps = 0;
      let batch: StepBatch | null = null;
      try {
        while (steps < allowed && host.now() - t0 < SLICE_MS) {
          const n = Math.min(chunk, allowed - steps);
          const c0 = host.now();
          batch = host.session.step(n);
          // At most four times as many steps as the last call, whatever the clock's resolution.
          if (batch.steps > 0) chunk = unitsFor(CALL_MS, batch.steps, host.now() - c0, Math.min(MAX_CHUNK, 4 * chunk));
          for (const e of batch.events) events.push(e);
          steps += batch.steps;
          if (batch.outcome !== undefined || batch.steps < n) break;
        }
      } catch (e) {
        this.playing = false;
        this.fail(null, e);
        return;
      }
      this.credit -= steps;
      const done = batch?.outcome !== undefined || (batch !== null && batch.steps === 0);
      if (batch !== null) {
        this.evals = batch.spent.evals;
        const limited = !done && this.evals >= EVAL_LIMIT;
        if (done || limited) this.playing = false;
        host.post({ type: 'events', batch: { ...batch, events, steps }, playing: this.playing, sliceMs: host.now() - t0, seq: ++this.sent, ...(limited ? { limit: EVAL_LIMIT } : {}) });
      }
      if (!this.playing) return;
      // A page slower than the engine is never buried in messages: wait for it to catch up.
      while (this.sent - this.acked >= MAX_IN_FLIGHT && this.playing && token === this.loopToken) {
        await new Promise<void>((resolve) => {
          this.wakeOnAck = resolve;
          void host.sleep(250).then(resolve);
        });
        this.wakeOnAck = null;
      }
      if (!this.playing || token !== this.loopToken) return;
      await (this.stepsPerSecond === null ? host.yieldNow() : host.sleep(FRAME_MS));
    }
  }

  private async experimentLoop(total: number): Promise<void> {
    const token = this.experimentToken;
    const { host } = this;
    const start = host.now();
    let perCall = 1;
    let lastPost = 0;
    while (token === this.experimentToken) {
      const t0 = host.now();
      let progress: ExperimentProgress;
      try {
        progress = host.session.experimentStep(perCall);
      } catch (e) {
        this.fail(null, e);
        return;
      }
      // Aim each call at one slice.
      perCall = unitsFor(SLICE_MS, perCall, host.now() - t0, 1000);
      if (progress.finished) {
        host.post({ type: 'experimentDone', progress, ms: host.now() - start });
        return;
      }
      if (host.now() - lastPost > 100) {
        // Counts only: the finished configurations come once, with experimentDone.
        lastPost = host.now();
        host.post({ type: 'progress', task: 'experiment', done: progress.done, total });
      }
      await host.yieldNow();
    }
  }

  /**
   * Works through the paper report in slices: each call does about one slice of work units
   * (one search run is a unit; a landscape or search trend is one longer call), then the
   * worker looks at its messages, so a cancel gets through between calls.
   */
  private async paperLoop(total: number): Promise<void> {
    const token = this.paperToken;
    const { host } = this;
    const start = host.now();
    let perCall = 1;
    let lastPost = 0;
    let doneBefore = 0;
    while (token === this.paperToken) {
      const t0 = host.now();
      let progress: ReportProgress;
      let page: PaperPage | null = null;
      try {
        progress = host.session.paperStep(perCall);
        if (progress.finished) page = host.session.paperResult();
      } catch (e) {
        this.fail(null, e);
        return;
      }
      // Aim each call at one slice, from the units the last call really did.
      const did = Math.max(1, progress.done - doneBefore);
      doneBefore = progress.done;
      perCall = unitsFor(SLICE_MS, did, host.now() - t0, 5000);
      if (page !== null) {
        host.post({ type: 'paperDone', page, ms: host.now() - start });
        return;
      }
      if (host.now() - lastPost > 100) {
        lastPost = host.now();
        host.post({ type: 'progress', task: 'paper', done: progress.done, total, phase: progress.phase });
      }
      await host.yieldNow();
    }
  }
  /** Reports an error: a wasm trap means the instance is gone, anything else is the request's error. */
  private fail(id: number | null, e: unknown) {
    if (e instanceof WebAssembly.RuntimeError || (e instanceof Error && e.name === 'RuntimeError')) {
      const panic = this.host.panicMessage();
      this.crashed = panic ?? (e as Error).message;
      this.stopAll();
      this.host.post({ type: 'crashed', message: this.crashed });
      if (id !== null) this.host.post({ type: 'error', id, kind: 'crashed', message: `the engine crashed: ${this.crashed}` });
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    const kind = (e as { kind?: unknown } | null)?.kind;
    if (id === null) {
      this.host.post({ type: 'crashed', message });
    } else {
      this.host.post({ type: 'error', id, message, kind: typeof kind === 'string' ? kind : e instanceof TableError ? 'corrupt_table' : 'error' });
    }
  }
}

/** A run that reached the page's evaluation limit. */
export class LimitError extends Error {
  readonly kind = 'limit';
  constructor() {
    super(
      `the page runs at most ${EVAL_LIMIT.toLocaleString('en')} evaluations per run, and this run has reached them; \`mfnas run\` on the command line has no such limit`,
    );
  }
}

/** A table that failed its download checks. */
export class TableError extends Error {
  readonly kind = 'corrupt_table';
}
