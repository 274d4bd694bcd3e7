/// <reference lib="webworker" />
// A lab worker: the second wasm module (lab/pkg, built by scripts/build-lab.sh) on the lab
// image file, driven by LabCore. It is created only when a lab panel asks for it.
import init, { Lab } from '../../../lab/pkg/mfnas_lab.js';
import { LabCore, type LabHost, type LabModule } from './core';
import { isLabRequest, type LabResponse } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: LabResponse) => self.postMessage(msg);

// A zero-delay macrotask that is not clamped like nested setTimeout; it queues behind the
// messages already posted to this worker, so a pause sent during a step runs before the next.
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

async function load(imagesUrl: string): Promise<LabModule> {
  let resp: Response;
  try {
    resp = await fetch(imagesUrl);
  } catch (e) {
    throw new Error(`could not download the lab images (${imagesUrl}): ${(e as Error).message}`);
  }
  const type = resp.headers.get('content-type') ?? '';
  if (!resp.ok || type.includes('text/html')) {
    throw Object.assign(
      new Error(`the lab images (${imagesUrl}) are not on this server (HTTP ${resp.status}); build them with scripts/build-lab.sh, which needs the CIFAR-10 JPEG shards of the shared data`),
      { kind: 'missing_data' },
    );
  }
  const bytes = new Uint8Array(await resp.arrayBuffer());
  try {
    await init();
  } catch (e) {
    throw Object.assign(new Error(`the lab module (WebAssembly) could not start: ${(e as Error).message}`), { kind: 'crashed' });
  }
  return new Lab(bytes) as unknown as LabModule;
}

const host: LabHost = { load, post, now: () => performance.now(), yieldNow };
const core = new LabCore(host);

self.onmessage = (ev: MessageEvent) => {
  const req: unknown = ev.data;
  if (!isLabRequest(req)) {
    const id = typeof (req as { id?: unknown })?.id === 'number' ? (req as { id: number }).id : -1;
    post({ type: 'error', id, kind: 'protocol', message: `not a request the lab knows: ${JSON.stringify(req)?.slice(0, 200)}` });
    return;
  }
  void core.handle(req);
};
