// Wiring only: styles, responsiveness figures, and the shell with its engine worker.
import './style.css';
import { startPerf } from './perf';
import { App } from './app';

startPerf();
try {
  const app = new App(() => new Worker(new URL('./worker/worker.ts', import.meta.url), { type: 'module' }));
  // For the end-to-end tests (engine memory, state).
  (globalThis as unknown as { __mfnasApp: App }).__mfnasApp = app;
} catch (e) {
  // Last resort: never a blank page.
  const el = document.getElementById('messages')!;
  el.innerHTML = `<div class="message error" role="alert">The explorer could not start: ${String((e as Error)?.message ?? e)}</div>`;
}
