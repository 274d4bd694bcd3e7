// Test helpers: the worker's engine over the real wasm session (call `initSync` first), with
// the page's side played by the test (every events message acknowledged, as the shell does).
import { Session, paperNumbers, debugPanic } from '../../../pkg/mfnas.js';
import { Engine, type EngineHost } from './engine';
import type { Request, Response } from './protocol';

/** An engine, everything it posted (`out`) and `send`, which returns the answers to one request. */
export function harness() {
  const out: Response[] = [];
  let panic: string | null = null;
  // The wasm panic hook reports through this global, as in the worker.
  (globalThis as { onmfnaspanic?: (m: string) => void }).onmfnaspanic = (m) => (panic = m);
  const host: EngineHost = {
    session: new Session() as unknown as EngineHost['session'],
    post: (m) => {
      out.push(m);
      // The page acknowledges every events message once folded.
      if (m.type === 'events') setTimeout(() => void engine.handle({ type: 'ack', id: 0, seq: m.seq }), 0);
    },
    now: () => performance.now(),
    yieldNow: () => new Promise((r) => setTimeout(r, 0)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    fetchBytes: async () => {
      throw new Error('no network in tests');
    },
    sha256Hex: async () => '',
    paperNumbers,
    debugPanic,
    panicMessage: () => panic,
    memoryBytes: () => 0,
  };
  const engine = new Engine(host);
  let id = 0;
  const send = async <T extends Request['type']>(body: Omit<Extract<Request, { type: T }>, 'id'> & { type: T }) => {
    const req = { ...body, id: ++id } as Request;
    await engine.handle(req);
    return out.filter((m) => 'id' in m && m.id === req.id);
  };
  return { out, send, engine };
}

/** Waits until `cond` holds, failing after `ms`. */
export async function until(cond: () => boolean, ms = 10_000) {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
