/// <reference lib="webworker" />
// The engine worker: instantiates the wasm module, owns one session, and hands messages to
// the Engine. If the module cannot start, every request is answered with the reason.
import init, { Session, debugPanic, paperNumbers } from '../../../pkg/mfnas.js';
import { Engine, type EngineHost } from './engine';
import type { Response } from './protocol';
import { isRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope & { onmfnaspanic?: (message: string) => void };

let panic: string | null = null;
self.onmfnaspanic = (message) => {
  panic = message;
};

const post = (msg: Response) => self.postMessage(msg);

// A zero-delay macrotask that is not clamped like nested setTimeout.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

async function fetchBytes(url: string, onProgress: (done: number, total: number) => void, expected?: number) {
  let resp: globalThis.Response;
  try {
    resp = await fetch(url);
  } catch (e) {
    throw new Error(`could not download ${url}: ${(e as Error).message}`);
  }
  const type = resp.headers.get('content-type') ?? '';
  if (!resp.ok || type.includes('text/html')) {
    throw new Error(`table file ${url} is not on the server (HTTP ${resp.status}${type ? `, ${type}` : ''}); build the tables with scripts/serve.sh`);
  }
  const total = expected ?? Number(resp.headers.get('content-length') ?? 0);
  if (!resp.body) return new Uint8Array(await resp.arrayBuffer());
  const reader = resp.body.getReader();
  const parts: Uint8Array[] = [];
  let done = 0;
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    parts.push(r.value);
    done += r.value.length;
    onProgress(done, total);
  }
  const out = new Uint8Array(done);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function sha256Hex(bytes: Uint8Array) {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as BufferSource));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

const ready: Promise<Engine | string> = init()
  .then((wasm) => {
    const host: EngineHost = {
      session: new Session(),
      post,
      now: () => performance.now(),
      yieldNow,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      fetchBytes,
      sha256Hex,
      paperNumbers,
      debugPanic,
      panicMessage: () => panic,
      memoryBytes: () => wasm.memory.buffer.byteLength,
    };
    return new Engine(host);
  })
  .catch((e: unknown) => {
    const message = `the engine (WebAssembly) could not start: ${e instanceof Error ? e.message : String(e)}`;
    post({ type: 'crashed', message });
    return message;
  });

self.onmessage = async (ev: MessageEvent) => {
  const req: unknown = ev.data;
  const engine = await ready;
  if (!isRequest(req)) {
    const id = typeof (req as { id?: unknown })?.id === 'number' ? (req as { id: number }).id : -1;
    post({ type: 'error', id, kind: 'protocol', message: `not a request this engine knows: ${JSON.stringify(req)?.slice(0, 200)}` });
    return;
  }
  if (typeof engine === 'string') {
    post({ type: 'error', id: req.id, kind: 'crashed', message: engine });
    return;
  }
  await engine.handle(req);
};
