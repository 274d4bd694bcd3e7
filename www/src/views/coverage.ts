// Coverage notes: before a run, the objectives of its configuration that score only part of
// the loaded table (how many cells are scored, how the others rank, and a column of the same
// proxy that scores every cell where the table has one). The engine writes the words.
import type { AlgoParams } from '../types';
import type { EngineClient } from '../worker/client';
import { escapeHtml } from '../html';
import './coverage.css';

/** Renders `notes` into `el` (empty and hidden when there are none). */
export function renderCoverage(el: HTMLElement, notes: readonly string[]) {
  el.hidden = notes.length === 0;
  el.innerHTML = notes.length
    ? `<strong>Partial coverage.</strong> <ul>${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`
    : '';
}

/** The latest showCoverage call for each element. */
const latest = new WeakMap<HTMLElement, number>();
let calls = 0;

/**
 * Asks the engine what to say about `params` on the loaded table and shows it in `el`. A
 * configuration the engine refuses says nothing here (its error is shown where it runs). When
 * calls overlap (the settings or the table changed while the engine answered), the latest call
 * is what `el` shows, whichever answers come last.
 */
export async function showCoverage(client: EngineClient, params: readonly AlgoParams[], el: HTMLElement): Promise<void> {
  const call = ++calls;
  latest.set(el, call);
  const notes: string[] = [];
  for (const p of params) {
    try {
      for (const n of await client.request({ type: 'coverage', params: p })) if (!notes.includes(n)) notes.push(n);
    } catch {
      // Not runnable on this table: the run or experiment itself reports why.
    }
  }
  if (latest.get(el) === call) renderCoverage(el, notes);
}
