// Successive-halving bracket view: rungs as columns, candidates with their scores, promoted
// and pruned, epochs and seconds charged per rung. Plain DOM: it is a table, not a plot.
import type { Bracket } from '../models/bracket';
import { ranked } from '../models/bracket';

/** Status marks that do not rely on colour. */
const GLYPHS: Record<string, string> = { promoted: '✓', pruned: '✗', evaluated: '●', waiting: '…', refunded: '↺' };

const fmt = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export class BracketView {
  onPick: (arch: number) => void = () => {};
  constructor(private el: HTMLElement) {
    el.addEventListener('click', (ev) => {
      const li = (ev.target as HTMLElement).closest<HTMLElement>('[data-arch]');
      if (li) this.onPick(Number(li.dataset.arch));
    });
  }

  render(b: Bracket, hasBracket: boolean, winner: number | null) {
    if (!hasBracket) {
      this.el.innerHTML = '<p class="muted">This algorithm has no successive-halving bracket. Choose MF-NAS or SH to see one.</p>';
      return;
    }
    if (b.rungs.length === 0) {
      this.el.innerHTML = '<p class="muted">The bracket appears when successive halving starts (MF-NAS stage 2).</p>';
      return;
    }
    const cols = b.rungs.map((r) => {
      const items = ranked(r)
        .map(
          // A real button (keyboard, screen readers) whose status is told by a glyph and words too.
          (e) => `<li><button type="button" class="entry ${e.status}${e.arch === winner ? ' winner' : ''}" data-arch="${e.arch}" title="arch #${e.arch}: ${e.status}${e.arch === winner ? ' (the winner)' : ''}; click for its cell">
            <span class="glyph" aria-hidden="true">${GLYPHS[e.status] ?? ''}</span><span class="visually-hidden">${e.status}${e.arch === winner ? ', the winner' : ''}: arch</span><span class="key">#${e.arch}</span><span class="score">${e.score !== undefined ? e.score.toFixed(2) : '·'}</span><span class="test">${e.test !== undefined && e.status !== 'waiting' ? e.test.toFixed(2) : ''}</span></button></li>`,
        )
        .join('');
      return `<div class="rung" data-rung="${r.rung}">
        <h3>Rung ${r.rung}<small>${r.objective}</small></h3>
        <p class="rung-cost">${r.entries.length} candidates · ${fmt.format(r.epochs)} epochs · ${fmt.format(r.seconds)} s</p>
        <div class="entry-head" aria-hidden="true"><span></span><span>arch</span><span>score</span><span>test %</span></div>
        <ol>${items}</ol></div>`;
    });
    this.el.innerHTML = `<div class="rungs">${cols.join('')}</div>
      <p class="legend">${Object.entries(GLYPHS).map(([status, g]) => `<span class="entry ${status}">${g} ${status}</span>`).join('')}</p>`;
  }
}
