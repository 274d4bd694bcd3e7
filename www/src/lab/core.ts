// The lab worker's logic, apart from the worker globals so that it can be tested with a fake
// module: it owns the lab module, scores cells proxy by proxy, and trains in bounded pieces of
// work (one step or one validation slice per call), yielding between them so that pause gets
// through. A pause is answered once the piece in progress has finished: nothing trains after
// the answer.
import type { LabArch, LabInfo, LabRequest, LabResponse, Progress, ProxyScore, TrainSettings, TrainingInfo } from './protocol';

/** Validation images per piece of work: about the cost of one training step. */
export const VAL_SLICE = 100;
/** Steps the images/s figure averages over. */
const RATE_WINDOW = 10;

/** What the wasm `Lab` offers (lab/src/lib.rs). */
export interface LabModule {
  info(): LabInfo;
  parseArch(text: string): LabArch;
  score(arch: string, name: string, seed: number, batch: number): ProxyScore;
  startTraining(arch: string, settings: Partial<TrainSettings>): TrainingModule;
}

/** What the wasm `Training` offers. */
export interface TrainingModule {
  info(): TrainingInfo;
  advance(valSlice: number): Progress;
  finished(): boolean;
  /** Releases the module's memory (wasm-bindgen objects). */
  free?(): void;
}

export interface LabHost {
  /** Downloads the lab image file and starts the module on it. */
  load(imagesUrl: string): Promise<LabModule>;
  post(msg: LabResponse): void;
  now(): number;
  /** Lets queued messages (pause) run. */
  yieldNow(): Promise<void>;
}

/** An error the module threw: its kind (`invalid_parameter`, …) when it has one. */
function describe(e: unknown): { kind: string; message: string; fatal: boolean } {
  const fatal = typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError;
  const kind = (e as { kind?: unknown })?.kind;
  const message = e instanceof Error ? e.message : String(e);
  return { kind: typeof kind === 'string' ? kind : fatal ? 'crashed' : 'internal', message, fatal };
}

export class LabCore {
  private lab: Promise<LabModule> | null = null;
  private training: TrainingModule | null = null;
  private playing = false;
  private loop: Promise<void> | null = null;
  private broken: string | null = null;
  private recent: { images: number; seconds: number }[] = [];

  constructor(private readonly host: LabHost) {}

  async handle(req: LabRequest): Promise<void> {
    if (this.broken) return this.host.post({ type: 'error', id: req.id, kind: 'crashed', message: this.broken });
    try {
      switch (req.type) {
        case 'init': {
          this.lab ??= this.host.load(req.imagesUrl);
          const lab = await this.lab.catch((e: unknown) => {
            this.lab = null;
            throw e;
          });
          return this.reply(req.id, 'init', lab.info());
        }
        case 'score':
          return this.reply(req.id, 'score', await this.score(req));
        case 'startTraining': {
          const lab = await this.module();
          this.playing = false;
          await this.loop;
          this.training?.free?.();
          this.training = null;
          this.training = lab.startTraining(req.arch, req.settings);
          this.recent = [];
          return this.reply(req.id, 'startTraining', this.training.info());
        }
        case 'play':
          if (!this.training) throw Object.assign(new Error('start a training first'), { kind: 'invalid_parameter' });
          if (!this.playing && !this.training.finished()) {
            this.playing = true;
            this.loop = this.run();
          }
          return this.reply(req.id, 'play', { playing: true });
        case 'pause': {
          this.playing = false;
          await this.loop;
          return this.reply(req.id, 'pause', { playing: false, steps: this.steps });
        }
      }
    } catch (e) {
      this.fail(req.id, e);
    }
  }

  private steps = 0;

  private reply<K extends LabRequest['type']>(id: number, request: K, result: import('./protocol').LabResults[K]) {
    this.host.post({ type: 'reply', id, request, result } as LabResponse);
  }

  private fail(id: number, e: unknown) {
    const d = describe(e);
    if (d.fatal) {
      this.broken = `the lab module stopped: ${d.message}`;
      this.host.post({ type: 'crashed', message: this.broken });
    }
    this.host.post({ type: 'error', id, kind: d.kind, message: d.message });
  }

  private module(): Promise<LabModule> {
    if (!this.lab) throw Object.assign(new Error('the lab is not loaded yet (send init first)'), { kind: 'invalid_parameter' });
    return this.lab;
  }

  private async score(req: Extract<LabRequest, { type: 'score' }>) {
    const lab = await this.module();
    const arch = lab.parseArch(req.arch);
    const t0 = this.host.now();
    const scores: ProxyScore[] = [];
    for (const name of req.proxies) {
      const s = lab.score(arch.arch_string, name, req.seed, req.batch);
      scores.push(s);
      this.host.post({ type: 'scored', id: req.id, score: s });
      await this.host.yieldNow();
    }
    return { arch, seed: req.seed, batch: req.batch, scores, ms: this.host.now() - t0 };
  }

  private async run(): Promise<void> {
    const t = this.training!;
    while (this.playing) {
      let p: Progress;
      try {
        p = t.advance(VAL_SLICE);
      } catch (e) {
        this.playing = false;
        const d = describe(e);
        if (d.fatal) {
          this.broken = `the lab module stopped: ${d.message}`;
          this.host.post({ type: 'crashed', message: this.broken });
        } else {
          this.host.post({ type: 'crashed', message: `training stopped: ${d.message}` });
        }
        return;
      }
      if (p.kind === 'step') {
        this.steps = p.step;
        this.recent.push({ images: p.images, seconds: p.seconds });
        if (this.recent.length > RATE_WINDOW) this.recent.shift();
      }
      if (p.kind === 'finished') this.playing = false;
      this.host.post({ type: 'progress', items: [p], imagesPerSecond: this.rate(), playing: this.playing });
      await this.host.yieldNow();
    }
  }

  /** Images per second over the last steps (compute time of the steps). */
  private rate(): number {
    const images = this.recent.reduce((a, r) => a + r.images, 0);
    const seconds = this.recent.reduce((a, r) => a + r.seconds, 0);
    return seconds > 0 ? images / seconds : 0;
  }
}
