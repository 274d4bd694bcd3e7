// The page's side of the engine protocol: typed requests that resolve with their reply,
// listeners for pushed messages, and restart after a crash.
import type { Request, RequestBody, RequestType, Response, Results } from './protocol';
import { assertNever } from './protocol';
import { COLUMNAR, unpack, type Packed } from './wire';

type Pushed = Exclude<Response, { type: 'reply' } | { type: 'error' }>;
type Listener = (msg: Pushed) => void;

/** An error the engine answered with; `kind` is the core's error kind (e.g. "invalid_parameter"). */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface Pending {
  resolve: (v: never) => void;
  reject: (e: Error) => void;
}

export class EngineClient {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Set<Listener>();

  constructor(private readonly makeWorker: () => Worker) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const w = this.makeWorker();
    w.onmessage = (ev: MessageEvent<Response>) => this.receive(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.crash(`the engine worker failed: ${ev.message || 'it could not be loaded'}`);
    };
    w.onmessageerror = () => this.crash('the engine sent a message the page could not read');
    return w;
  }

  private crash(message: string) {
    this.emit({ type: 'crashed', message });
    this.rejectAll(message);
  }

  private rejectAll(message: string) {
    for (const p of this.pending.values()) p.reject(new EngineError(message, 'crashed'));
    this.pending.clear();
  }

  private emit(msg: Pushed) {
    for (const l of this.listeners) l(msg);
  }

  private receive(msg: Response) {
    switch (msg.type) {
      case 'reply': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve((COLUMNAR[msg.request] ? unpack(msg.result as Packed) : msg.result) as never);
        return;
      }
      case 'error': {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.reject(new EngineError(msg.message, msg.kind));
        return;
      }
      case 'crashed':
        this.emit(msg);
        this.rejectAll(msg.message);
        return;
      case 'events':
      case 'progress':
      case 'experimentDone':
      case 'paperDone':
        this.emit(msg);
        return;
      default:
        assertNever(msg, 'engine message');
    }
  }

  /** Sends a request; resolves with its typed result or rejects with an EngineError. */
  request<K extends RequestType>(body: RequestBody<K> & { type: K }): Promise<Results[K]> {
    const id = this.nextId++;
    return new Promise<Results[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      this.worker.postMessage({ ...body, id } as Request);
    });
  }

  /** Listens to pushed messages (events, progress, crashes); returns an unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws the worker away and starts a fresh one (pending requests are rejected). */
  restart() {
    this.worker.terminate();
    this.rejectAll('the engine was restarted');
    this.worker = this.spawn();
  }
}
