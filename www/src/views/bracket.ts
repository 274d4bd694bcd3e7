// The successive-halving bracket, saying why: a budget bar that fills with the run's
// simulated seconds (stage 1, then each rung) against its budget, with refunds and overruns
// explained where they happen; then the rungs as columns, each ranked with a cut-off line
// and "kept 4 of 32 by …" in words. Every number is the engine's (events and run info).
import type { Algo, RunInfo } from '../types';
import type { Bracket, BracketEntry, Rung } from '../models/bracket';
import { ranked } from '../models/bracket';
import { type Words, label } from '../models/glossary';
import { el, fmt, frame, whole, type FigureFrame } from './figure';

export interface BracketSettings {
  words: Words;
}

export const BRACKET_TEXT = {
  caption: 'Successive halving trains every candidate a little, keeps the best, and trains only those further.',
  explain: `<p>Each column is a <dfn data-term="rung">round</dfn>. Candidates are ranked by the round’s
    score; the line is the <dfn data-term="cut-off">cut-off</dfn>: those above it are
    <dfn data-term="promoted">kept</dfn> and trained further (only the extra epochs are charged), those
    below are <dfn data-term="pruned">dropped</dfn>. The bar on top is the
    <dfn data-term="budget">budget</dfn>: it fills with the <dfn data-term="simulated cost">simulated
    time</dfn> each stage and round spends.</p>`,
};

const GLYPH: Record<BracketEntry['status'], string> = {
  promoted: '✓',
  pruned: '✗',
  evaluated: '●',
  waiting: '…',
  refunded: '↺',
};

const STATUS_WORD: Record<BracketEntry['status'], string> = {
  promoted: 'kept',
  pruned: 'dropped',
  evaluated: 'scored, not yet decided',
  waiting: 'waiting',
  refunded: 'given back',
};

/** Why a run of each algorithm may end above its budget, or why it cannot. */
export const BUDGET_RULE: Record<Algo, string> = {
  rs: 'Random search checks the budget before each evaluation, so the last evaluation may end above it.',
  ls: 'Local search checks the budget only between sweeps, so it finishes the sweep under way when the budget runs out.',
  bls: 'Local search checks the budget only between sweeps, so it finishes the sweep under way when the budget runs out.',
  sh: 'Successive halving gives back an evaluation that would cross the budget (refund) and stops, so it ends within it.',
  rea: 'Evolution checks the budget before each child, so the last child’s training may end above it.',
  'rea-w': 'Evolution checks the budget before each child, so the last child’s training may end above it (its warm-up proxy scores are free).',
  'free-rea': 'FreeREA checks its budget of proxy time before each step, so the last step may end above it.',
  'mf-nas': 'Stage 1 always makes its M proxy evaluations; stage 2 gives back an evaluation that would cross the budget (refund) and stops, so MF-NAS ends above its budget only if stage 1 alone used it up.',
};

export class BracketView {
  readonly frame: FigureFrame;
  onPick: (arch: number) => void = () => {};
  private bar: HTMLElement;
  private notes: HTMLElement;
  private rungs: HTMLElement;

  constructor(
    container: HTMLElement,
    private settings: BracketSettings = { words: 'plain' },
  ) {
    this.frame = frame(container, 'bracket', BRACKET_TEXT);
    this.bar = el('div', { class: 'budget' });
    this.notes = el('div', { class: 'budget-notes' });
    this.rungs = el('div', { class: 'rungs' });
    this.frame.body.append(this.bar, this.notes, this.rungs);
    this.rungs.addEventListener('click', (ev) => {
      const b = (ev.target as HTMLElement).closest<HTMLElement>('[data-arch]');
      if (b) this.onPick(Number(b.dataset.arch));
    });
  }

  configure(s: Partial<BracketSettings>) {
    this.settings = { ...this.settings, ...s };
  }

  /** Draws the budget of `run` and, for algorithms with a bracket, its rungs. */
  render(b: Bracket, run: RunInfo | null, winner: number | null) {
    this.renderBudget(b, run);
    const hasBracket = run?.algo === 'mf-nas' || run?.algo === 'sh';
    if (!hasBracket) {
      this.rungs.replaceChildren(el('p', { class: 'muted' }, 'This algorithm has no successive-halving bracket. Choose MF-NAS or SH to see one.'));
      return;
    }
    if (b.rungs.length === 0) {
      this.rungs.replaceChildren(el('p', { class: 'muted' }, 'The bracket appears when successive halving starts (MF-NAS stage 2).'));
      return;
    }
    this.rungs.replaceChildren(...b.rungs.map((r) => this.rungColumn(r, winner)));
  }

  private rungColumn(r: Rung, winner: number | null): HTMLElement {
    const words = this.settings.words;
    const col = el('section', { class: 'rung', 'data-rung': String(r.rung), 'data-kept': String(r.kept), 'data-of': String(r.entries.length), 'data-cutoff': r.cutoff === undefined ? '' : String(r.cutoff), 'data-objective': r.objective });
    const h = el('h3');
    h.append(el('dfn', { 'data-term': 'rung' }, words === 'plain' ? `Round ${r.rung + 1}` : `Rung ${r.rung}`), el('small', { 'data-term': r.objective }, label(r.objective, words)));
    const by = label(r.objective, words);
    const verdict = el(
      'p',
      { class: 'rung-verdict' },
      r.decided ? `kept ${r.kept} of ${r.entries.length} by ${by}` : `${r.entries.filter((e) => e.status !== 'waiting').length} of ${r.entries.length} scored by ${by}`,
    );
    const cost = el('p', { class: 'rung-cost' }, `${whole(r.epochs)} epochs · ${whole(r.seconds)} s`);
    const list = el('ol', { 'aria-label': `Round ${r.rung + 1} candidates, best first` });
    const entries = ranked(r);
    let cutShown = false;
    entries.forEach((e, i) => {
      if (r.decided && !cutShown && e.status === 'pruned' && i > 0) {
        cutShown = true;
        list.append(this.cutLine(r));
      }
      const li = el('li');
      const b = el('button', {
        type: 'button',
        class: `entry ${e.status}${e.arch === winner ? ' winner' : ''}`,
        'data-arch': String(e.arch),
        title: `cell #${e.arch}: ${STATUS_WORD[e.status]}${e.arch === winner ? ', the cell returned' : ''}; click for its cell`,
      });
      // The status in words for screen readers (the glyph and colour say it on screen).
      b.append(
        el('span', { class: 'glyph', 'aria-hidden': 'true' }, e.arch === winner ? '★' : GLYPH[e.status]),
        el('span', { class: 'visually-hidden' }, `${STATUS_WORD[e.status]}, ${e.status}${e.arch === winner ? ', returned' : ''}: arch `),
        el('span', { class: 'key' }, `#${e.arch}`),
        el('span', { class: 'score num' }, e.score !== undefined ? fmt(e.score) : '·'),
        el('span', { class: 'test num' }, e.test !== undefined && e.status !== 'waiting' ? fmt(e.test) : ''),
      );
      li.append(b);
      list.append(li);
    });
    if (r.decided && !cutShown && r.kept < r.entries.length) list.append(this.cutLine(r));
    const head = el('div', { class: 'entry-head', 'aria-hidden': 'true' });
    head.append(el('span', {}, ''), el('span', {}, 'cell'), el('span', {}, 'score'), el('span', {}, 'test %'));
    col.append(h, verdict, cost, head, list);
    return col;
  }

  private cutLine(r: Rung): HTMLElement {
    const li = el('li', { class: 'cutoff', 'data-term': 'cut-off', tabindex: '0' });
    li.textContent = `cut-off ${fmt(r.cutoff)}: ${r.kept} kept above, ${r.entries.length - r.kept} dropped below`;
    return li;
  }

  private renderBudget(b: Bracket, run: RunInfo | null) {
    const budget = run?.budget_s ?? null;
    const total = b.doneS ?? b.totalS;
    const scale = Math.max(budget ?? 0, total, ...b.refunds.map((x) => x.wouldBeS)) || 1;
    const pct = (s: number) => `${((100 * s) / scale).toFixed(3)}%`;
    const track = el('div', { class: 'budget-track', role: 'img' });
    track.setAttribute('aria-label', `${whole(total)} s spent${budget ? ` of a ${whole(budget)} s budget` : ''}`);
    // Segments: before the first rung (stage 1 or the whole run), then each rung.
    const segs: { from: number; to: number; label: string; cls: string }[] = [];
    const firstRung = b.rungs[0];
    const stage1End = firstRung ? firstRung.startS : total;
    if (stage1End > 0) segs.push({ from: 0, to: stage1End, label: firstRung ? (run?.algo === 'mf-nas' ? 'stage 1' : 'sampling') : 'spent', cls: 'seg-stage1' });
    b.rungs.forEach((r, i) => segs.push({ from: r.startS, to: r.endS, label: this.settings.words === 'plain' ? `round ${r.rung + 1}` : `rung ${r.rung}`, cls: `seg-rung seg-${i % 2}` }));
    for (const s of segs) {
      if (s.to <= s.from) continue;
      const d = el('div', { class: `budget-seg ${s.cls}`, style: `left:${pct(s.from)};width:${pct(s.to - s.from)}`, title: `${s.label}: ${whole(s.to - s.from)} s` });
      d.append(el('span', {}, s.label));
      track.append(d);
    }
    for (const x of b.refunds) {
      track.append(el('div', { class: 'budget-refund', style: `left:${pct(x.wouldBeS - x.seconds)};width:${pct(x.seconds)}`, title: `given back: ${whole(x.seconds)} s` }));
    }
    if (budget) track.append(el('div', { class: 'budget-line', style: `left:${pct(budget)}`, title: `budget ${whole(budget)} s` }));
    const head = el('p', { class: 'budget-head' });
    head.append(
      el('dfn', { 'data-term': 'budget' }, 'Budget'),
      document.createTextNode(`: ${whole(total)} s${budget ? ` of ${whole(budget)} s` : ''} spent · ${whole(b.totalEpochs)} `),
      el('dfn', { 'data-term': 'epochs' }, 'epochs'),
      document.createTextNode(' trained'),
    );
    this.bar.replaceChildren(head, track);
    this.bar.dataset.totalS = String(total);
    // Refunds and overruns, explained where they happen.
    const notes: HTMLElement[] = [];
    for (const x of b.refunds) {
      const p = el('p', { class: 'note refund', 'data-term': 'refunded', tabindex: '0' });
      p.textContent = `↺ Given back: the evaluation of #${x.arch} (${whole(x.seconds)} s, ${whole(x.epochs)} epochs) would have brought the total to ${whole(x.wouldBeS)} s, above the ${budget ? `${whole(budget)} s ` : ''}budget. Successive halving discards it, returns its cost and stops with the best cell it has scored.`;
      notes.push(p);
    }
    if (b.doneS !== null && budget !== null && run) {
      const over = b.doneS > budget;
      const p = el('p', { class: `note ${over ? 'overrun' : 'within'}`, 'data-term': 'overrun', tabindex: '0' });
      p.textContent = over ? `⚠ The run ended at ${whole(b.doneS)} s, above its ${whole(budget)} s budget. ${BUDGET_RULE[run.algo]}` : `The run ended at ${whole(b.doneS)} s, within its ${whole(budget)} s budget. ${BUDGET_RULE[run.algo]}`;
      notes.push(p);
    }
    this.notes.replaceChildren(...notes);
  }
}
