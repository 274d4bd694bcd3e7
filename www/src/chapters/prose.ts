// What every chapter does with its prose: compute its facts from the engine once the table is
// loaded (again when the reader picks another dataset), then write the paragraphs; a table the
// chapter cannot speak about, or an engine error, is said in words where the prose would be.
import type { TableInfo } from '../types';
import type { ChapterContext } from './types';
import { escapeHtml } from '../html';

/**
 * Calls `draw(table)` now if a table is loaded and whenever another is; a draw that finishes
 * after a newer one started is dropped (`current()` says whether it is still the newest).
 * Returns the function that draws again (for settings the prose depends on).
 */
export function onTable(ctx: ChapterContext, draw: (table: TableInfo, current: () => boolean) => Promise<void>): () => void {
  let ticket = 0;
  const run = () => {
    const t = ctx.shell.table;
    const mine = ++ticket;
    if (!t) {
      ctx.prose.innerHTML = '<p class="muted">Loading the table…</p>';
      return;
    }
    draw(t, () => mine === ticket).catch((e: Error) => {
      if (mine !== ticket) return;
      ctx.prose.innerHTML = `<p class="warn">This chapter cannot be shown: ${escapeHtml(e.message)}</p>`;
    });
  };
  ctx.on('table', run);
  run();
  return run;
}

/** An error a chapter throws when the table lacks what it talks about. */
export function lacks(table: TableInfo, what: string): Error {
  return new Error(`${table.title} has no ${what}. Pick a NAS-Bench-201 dataset above.`);
}

/** A term of the glossary in the prose (explained on hover and keyboard focus). */
export function term(key: string, text: string = key): string {
  return `<dfn data-term="${escapeHtml(key)}">${escapeHtml(text)}</dfn>`;
}

/**
 * Folds a figure's own "how to read it" text into a closed disclosure: the chapter's prose
 * says it first, and the figure keeps its caption and read-out.
 */
export function foldExplain(frame: { explain: HTMLElement }) {
  const how = document.createElement('details');
  how.className = 'fig-how';
  const summary = document.createElement('summary');
  summary.textContent = 'How to read this figure';
  frame.explain.before(how);
  how.append(summary, frame.explain);
}
