// The page's side of the lab workers: typed requests that resolve with their reply, a scorer
// (one worker for all cells) and training sessions (one worker each, so two cells race on two
// cores and a stop ends the work at once). Creating any of them is what loads the second wasm
// module: nothing here runs before a lab panel asks.
import type { LabInfo, LabRequest, LabRequestBody, LabRequestType, LabResponse, LabResults, Progress, ProxyScore, ScoreResult, TrainSettings, TrainingInfo } from './protocol';

type Pushed = Extract<LabResponse, { type: 'scored' } | { type: 'progress' } | { type: 'crashed' }>;

/** An error a lab worker answered with; `kind` is the core's error kind. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

/** Where the page serves the lab image file (built by scripts/build-lab.sh). */
export function labImagesUrl(): string {
  return new URL('lab/cifar10-lab.bin', document.baseURI).href;
}

export const makeLabWorker = () => new Worker(new URL('./lab-worker.ts', import.meta.url), { type: 'module', name: 'mfnas-lab' });

/** One lab worker with request/response over its messages. */
export class LabWorkerClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
  private listeners = new Set<(m: Pushed) => void>();
  private ended: string | null = null;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (ev: MessageEvent<LabResponse>) => this.receive(ev.data);
    worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.crash(`the lab worker failed: ${ev.message || 'it could not be loaded'}`);
    };
    worker.onmessageerror = () => this.crash('the lab worker sent a message the page could not read');
  }

  request<K extends LabRequestType>(body: LabRequestBody<K> & { type: K }): Promise<LabResults[K]> {
    if (this.ended) return Promise.reject(new LabError(this.ended, 'crashed'));
    const id = this.nextId++;
    return new Promise<LabResults[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      this.worker.postMessage({ ...body, id } as LabRequest);
    });
  }

  on(listener: (m: Pushed) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the worker now; pending requests fail with `kind` "stopped". */
  terminate(reason = 'stopped') {
    this.worker.terminate();
    this.ended = reason;
    for (const p of this.pending.values()) p.reject(new LabError(reason, 'stopped'));
    this.pending.clear();
  }

  private crash(message: string) {
    this.ended = message;
    for (const l of this.listeners) l({ type: 'crashed', message });
    for (const p of this.pending.values()) p.reject(new LabError(message, 'crashed'));
    this.pending.clear();
  }

  private receive(msg: LabResponse) {
    switch (msg.type) {
      case 'reply': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.result as never);
        return;
      }
      case 'error': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.reject(new LabError(msg.message, msg.kind));
        return;
      }
      case 'crashed':
        this.ended = msg.message;
        for (const l of this.listeners) l(msg);
        return;
      case 'scored':
      case 'progress':
        for (const l of this.listeners) l(msg);
        return;
    }
  }
}

/** Scores cells with real proxies in one worker. */
export class ProxyLab {
  private constructor(
    private readonly client: LabWorkerClient,
    readonly info: LabInfo,
  ) {}

  static async open(imagesUrl = labImagesUrl(), makeWorker = makeLabWorker): Promise<ProxyLab> {
    const client = new LabWorkerClient(makeWorker());
    try {
      return new ProxyLab(client, await client.request({ type: 'init', imagesUrl }));
    } catch (e) {
      client.terminate();
      throw e;
    }
  }

  /** Computes `proxies` of `arch` (arch string or index); `onScored` sees each as it lands. */
  async score(arch: string, proxies: string[], seed: number, batch: number, onScored?: (s: ProxyScore) => void): Promise<ScoreResult> {
    const off = this.client.on((m) => {
      if (m.type === 'scored') onScored?.(m.score);
    });
    try {
      return await this.client.request({ type: 'score', arch, proxies, seed, batch });
    } finally {
      off();
    }
  }

  close() {
    this.client.terminate('closed');
  }
}

/** One cell training in its own worker. */
export class TrainingSession {
  private constructor(
    private readonly client: LabWorkerClient,
    readonly info: TrainingInfo,
  ) {}

  /** Loads the module in a new worker and prepares `arch` for training (not started). */
  static async start(
    arch: string,
    settings: Partial<TrainSettings>,
    onProgress: (items: Progress[], imagesPerSecond: number, playing: boolean) => void,
    onCrash: (message: string) => void,
    imagesUrl = labImagesUrl(),
    makeWorker = makeLabWorker,
  ): Promise<TrainingSession> {
    const client = new LabWorkerClient(makeWorker());
    client.on((m) => {
      if (m.type === 'progress') onProgress(m.items, m.imagesPerSecond, m.playing);
      else if (m.type === 'crashed') onCrash(m.message);
    });
    try {
      await client.request({ type: 'init', imagesUrl });
      return new TrainingSession(client, await client.request({ type: 'startTraining', arch, settings }));
    } catch (e) {
      client.terminate();
      throw e;
    }
  }

  play(): Promise<unknown> {
    return this.client.request({ type: 'play' });
  }

  /** Resolves once the step in progress has finished and nothing more trains. */
  pause(): Promise<{ steps: number }> {
    return this.client.request({ type: 'pause' });
  }

  /** Ends the training and its worker at once (the curves drawn so far stay). */
  stop() {
    this.client.terminate('stopped');
  }
}
