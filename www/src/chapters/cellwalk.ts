// Chapter 1's figure: one cell and its numbers, walking. Every few seconds the cell changes one
// edge (a neighbour, picked by a PRNG from the seed, so a link replays the same walk); the
// changed edge is drawn thick and the numbers say how far each moved. Every number is the
// engine's (the cell's row of the table, and its rank among all cells from the engine's map).
import type { ArchInfo, Neighbour } from '../types';
import { cellSvg } from '../views/cell';
import { escapeHtml } from '../html';
import { count, duration } from './facts';

/** Where the walk gets cells (the engine, through the worker). */
export interface WalkSource {
  arch(key: number): Promise<ArchInfo>;
  neighbours(key: number): Promise<Neighbour[]>;
}

/** One row of the numbers beside the cell. */
export interface WalkNumber {
  /** The table column. */
  column: string;
  /** Plain label and its glossary term. */
  label: string;
  term: string;
  /** How a value is shown. */
  format: (v: number) => string;
  /** The cell's rank among all cells by this column (1 = best), and how many have a value. */
  rank?: (key: number) => { rank: number; of: number } | null;
  /** Show the change from the previous cell. */
  delta?: boolean;
}

const OP_NAMES: Record<string, string> = {
  none: 'none',
  skip_connect: 'skip',
  nor_conv_1x1: 'conv 1×1',
  nor_conv_3x3: 'conv 3×3',
  avg_pool_3x3: 'avg pool',
};
const NODE = ['in', '1', '2', 'out'];

/** A small seeded PRNG (mulberry32): the walk is the same for the same seed. */
export function prng(seed: number): () => number {
  let a = (seed >>> 0) ^ Math.floor(seed / 2 ** 32);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class CellWalk {
  readonly root: HTMLElement;
  /** Called with each cell shown (the page records it in the address). */
  onCell: (key: number) => void = () => {};
  private cellEl: HTMLElement;
  private numbersEl: HTMLElement;
  private changeEl: HTMLElement;
  private playBtn: HTMLButtonElement;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private playing = false;
  private current: ArchInfo | null = null;
  private previous: ArchInfo | null = null;
  private rand: () => number = prng(1);
  private busy = false;
  private ticket = 0;

  constructor(
    container: HTMLElement,
    private source: WalkSource,
    private numbers: WalkNumber[],
    private intervalMs = 2500,
  ) {
    this.root = document.createElement('figure');
    this.root.className = 'walk';
    this.root.innerHTML = `
      <div class="walk-cell" role="img"></div>
      <div class="walk-side">
        <p class="walk-change" aria-live="off"></p>
        <table class="walk-numbers"><caption class="visually-hidden">The numbers of the cell on screen</caption><tbody></tbody></table>
      </div>
      <div class="walk-controls">
        <button type="button" class="walk-play"></button>
        <button type="button" class="walk-step">Change one edge</button>
        <span class="muted">A new neighbour every ${(intervalMs / 1000).toFixed(1)} s while it walks.</span>
      </div>`;
    container.append(this.root);
    this.cellEl = this.root.querySelector('.walk-cell')!;
    this.numbersEl = this.root.querySelector('tbody')!;
    this.changeEl = this.root.querySelector('.walk-change')!;
    this.playBtn = this.root.querySelector('.walk-play')!;
    this.playBtn.onclick = () => (this.playing ? this.pause() : this.play());
    this.root.querySelector<HTMLButtonElement>('.walk-step')!.onclick = () => {
      this.pause();
      void this.next();
    };
    this.showButton();
  }

  /** Starts from cell `key`, the walk's choices drawn from `seed`. */
  async start(key: number, seed: number) {
    const t = ++this.ticket;
    this.rand = prng(seed);
    this.previous = null;
    const a = await this.source.arch(key);
    if (t !== this.ticket) return;
    this.show(a, null);
  }

  /** The cell on screen. */
  get cell(): ArchInfo | null {
    return this.current;
  }

  play() {
    this.playing = true;
    this.showButton();
    this.schedule();
  }

  pause() {
    this.playing = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.showButton();
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  private showButton() {
    this.playBtn.textContent = this.playing ? '❚❚ Pause the walk' : '▶ Walk';
    this.playBtn.setAttribute('aria-pressed', String(this.playing));
  }

  private schedule() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = this.playing
      ? setTimeout(() => {
          this.timer = null;
          void this.next().then(() => this.schedule());
        }, this.intervalMs)
      : null;
  }

  /** One step: a neighbour of the current cell, picked by the walk's PRNG. */
  async next() {
    if (!this.current || this.busy) return;
    this.busy = true;
    const t = this.ticket;
    try {
      const ns = await this.source.neighbours(this.current.id);
      if (t !== this.ticket || !ns.length) return;
      const n = ns[Math.floor(this.rand() * ns.length)];
      const a = await this.source.arch(n.id);
      if (t !== this.ticket) return;
      this.show(a, n);
    } finally {
      this.busy = false;
    }
  }

  private show(a: ArchInfo, via: Neighbour | null) {
    this.previous = via ? this.current : null;
    this.current = a;
    this.cellEl.innerHTML = cellSvg(a);
    this.cellEl.dataset.arch = String(a.id);
    this.cellEl.setAttribute('aria-label', `Cell ${a.id}: ${a.edges.map((e) => `${NODE[e.from]}→${NODE[e.to]} ${OP_NAMES[e.op] ?? e.op}`).join(', ')}`);
    if (via) {
      this.cellEl.querySelectorAll('g.edge')[via.position]?.classList.add('changed');
      this.changeEl.innerHTML = `Changed edge ${NODE[via.from]}→${NODE[via.to]}: <strong>${escapeHtml(OP_NAMES[via.was] ?? via.was)}</strong> → <strong>${escapeHtml(OP_NAMES[via.op] ?? via.op)}</strong>`;
    } else {
      this.changeEl.textContent = `Cell ${a.id} of NAS-Bench-201. Press Walk, or change one edge.`;
    }
    this.numbersEl.innerHTML = this.numbers.map((n) => this.row(n, a)).join('');
    this.onCell(a.id);
  }

  private row(n: WalkNumber, a: ArchInfo): string {
    const v = value(a, n.column);
    const before = this.previous ? value(this.previous, n.column) : null;
    let detail = '';
    if (v !== null && n.rank) {
      const r = n.rank(a.id);
      if (r) detail = `rank ${count(r.rank)} of ${count(r.of)}`;
    }
    if (v !== null && before !== null && n.delta && v !== before) {
      const d = v - before;
      detail += `${detail ? ' · ' : ''}<span class="${d > 0 ? 'delta-up' : 'delta-down'}">${d > 0 ? '▲ +' : '▼ −'}${n.format(Math.abs(d)).replace(/ %$/, '')}</span>`;
    }
    const shown = v === null ? '<span class="value">no value</span><small>the table has none for this cell</small>' : `<span class="value">${escapeHtml(n.format(v))}</span>${detail ? `<small>${detail}</small>` : ''}`;
    return `<tr data-column="${escapeHtml(n.column)}" data-value="${v ?? ''}"><th scope="row"><dfn data-term="${escapeHtml(n.term)}">${escapeHtml(n.label)}</dfn></th><td>${shown}</td></tr>`;
  }

  destroy() {
    this.pause();
    this.ticket++;
    this.root.remove();
  }
}

/** A column's value for a cell, or null when the table has none. */
export function value(a: ArchInfo, column: string): number | null {
  const v = a.values.find((x) => x.name === column)?.value;
  return v === undefined || v === null || !Number.isFinite(v) ? null : v;
}

/** Seconds of training for `epochs`, from the cell's time per epoch. */
export function trainingTime(a: ArchInfo, epochs: number): string | null {
  const t = value(a, 'train_time_per_epoch');
  return t === null ? null : duration(t * epochs);
}
