// The step inspector: one comparison of local search at a time. The current cell and the
// candidate side by side with the changed edge highlighted, the two scores, their
// difference and the verdict (accepted / rejected / escape) as the engine reported them;
// beside them the current cell's 24 neighbours as a ring, filled by score once tried, and
// an escape drawn as the two-edge jump it is. Previous/next (buttons, ← →, Home/End)
// browse the run's comparisons; "follow" keeps the latest in view as the run plays.
import type { ArchInfo, Neighbour } from '../types';
import { type Inspector, type Step, scaleDomain, triedAt } from '../models/inspector';
import { type Words, label } from '../models/glossary';
import { cellDiagram } from './celldiagram';
import { OP_SHORT, RAMP_GRADIENT, el, fmt, fmtSigned, frame, ramp, star, svg, whole, type FigureFrame } from './figure';

/** Where the inspector gets cells and neighbourhoods (the engine, through the worker). */
export interface CellSource {
  arch(key: number): Promise<ArchInfo>;
  neighbours(key: number): Promise<Neighbour[]>;
}

export interface InspectorSettings {
  /** The colour scale spans this neighbourhood's scores, or every score the run compared. */
  scope: 'neighbourhood' | 'run';
  words: Words;
}

export const INSPECTOR_TEXT = {
  caption: 'One step of local search: the neighbour it tried, the two scores, and whether it moved.',
  explain: `<p>Local search stands on the <dfn data-term="current">current cell</dfn> and tries one
    <dfn data-term="neighbour">neighbour</dfn> at a time: the same cell with one
    <dfn data-term="edge">edge</dfn> changed (highlighted). It moves when the neighbour scores at
    least as well (<dfn data-term="accepted">accepted</dfn>) and otherwise tries another
    (<dfn data-term="rejected">rejected</dfn>).</p>
    <p>The ring shows all 24 neighbours, 4 per edge: filled by score once tried, hollow while not
    yet tried. When a whole sweep finds nothing better, the cell is a
    <dfn data-term="local optimum">local optimum</dfn> and the search makes an
    <dfn data-term="escape">escape</dfn>: a jump that changes two edges, drawn outside the ring.</p>`,
};

const VERDICT_TEXT: Record<Step['event']['verdict'], { symbol: string; text: string }> = {
  accepted: { symbol: '✓', text: 'accepted' },
  rejected: { symbol: '✗', text: 'rejected' },
  escape: { symbol: '⤳', text: 'escape' },
};

export class InspectorFigure {
  readonly frame: FigureFrame;
  /** Called with the current cell whenever the shown step changes (the cell panel follows it). */
  onCurrent: (key: number) => void = () => {};
  private model: Inspector | null = null;
  private at = -1;
  private follow = true;
  private cache = new Map<string, Promise<unknown>>();
  private ticket = 0;
  private nav: HTMLElement;
  private position: HTMLElement;
  private main: HTMLElement;
  private legend: HTMLElement;
  private prevBtn: HTMLButtonElement;
  private nextBtn: HTMLButtonElement;
  private followBox: HTMLInputElement;

  constructor(
    container: HTMLElement,
    private source: CellSource,
    private settings: InspectorSettings,
  ) {
    this.frame = frame(container, 'inspector', INSPECTOR_TEXT);
    const body = this.frame.body;
    body.tabIndex = 0;
    body.setAttribute('role', 'group');
    body.setAttribute('aria-label', 'Step inspector: left and right arrows browse the comparisons');
    this.nav = el('div', { class: 'insp-nav' });
    this.prevBtn = el('button', { type: 'button', 'aria-label': 'Previous comparison' }, '◀ previous');
    this.nextBtn = el('button', { type: 'button', 'aria-label': 'Next comparison' }, 'next ▶');
    this.position = el('span', { class: 'insp-position' });
    const follow = el('label', { class: 'insp-follow' });
    this.followBox = el('input', { type: 'checkbox' });
    this.followBox.checked = true;
    follow.append(this.followBox, document.createTextNode(' follow the search'));
    const jump = el('span', { class: 'insp-jump' });
    const nextMove = el('button', { type: 'button', title: 'The next accepted move (key a; A goes back)' }, 'next move »');
    const nextEscape = el('button', { type: 'button', title: 'The next escape from a local optimum (key e; E goes back)' }, 'next escape »');
    nextMove.onclick = () => this.browse(this.find('accepted', 1));
    nextEscape.onclick = () => this.browse(this.find('escape', 1));
    jump.append(nextMove, nextEscape);
    this.nav.append(this.prevBtn, this.position, this.nextBtn, jump, follow);
    this.main = el('div', { class: 'insp-main' });
    this.legend = el('div', { class: 'insp-legend' });
    body.append(this.nav, this.main, this.legend);
    this.prevBtn.onclick = () => this.browse(this.at - 1);
    this.nextBtn.onclick = () => this.browse(this.at + 1);
    this.followBox.onchange = () => {
      this.follow = this.followBox.checked;
      if (this.follow && this.model) this.show(this.model.steps.length - 1);
    };
    body.addEventListener('keydown', (ev) => {
      if (ev.target !== body && !(ev.target as HTMLElement).closest('.insp-main')) return;
      const n = this.model?.steps.length ?? 0;
      const go: Record<string, () => number> = {
        ArrowLeft: () => this.at - 1,
        ArrowRight: () => this.at + 1,
        Home: () => 0,
        End: () => n - 1,
        e: () => this.find('escape', 1),
        E: () => this.find('escape', -1),
        a: () => this.find('accepted', 1),
        A: () => this.find('accepted', -1),
      };
      if (!(ev.key in go)) return;
      ev.preventDefault();
      ev.stopPropagation();
      this.browse(go[ev.key]());
    });
    this.renderEmpty();
  }

  /** New events were folded into `model`: follow the latest comparison, or stay where the user is. */
  update(model: Inspector) {
    this.model = model;
    if (this.follow || this.at >= model.steps.length) this.show(model.steps.length - 1);
    else this.renderNav();
  }

  /** Changes the settings (scale scope, wording) and redraws. */
  configure(settings: Partial<InspectorSettings>) {
    this.settings = { ...this.settings, ...settings };
    this.show(this.at);
  }

  /** Shows comparison `i` and stops following. */
  browse(i: number) {
    if (!this.model || !this.model.steps.length) return;
    this.follow = false;
    this.followBox.checked = false;
    this.show(Math.max(0, Math.min(this.model.steps.length - 1, i)));
  }

  /** The next (dir 1) or previous (dir -1) comparison with `verdict` from the one shown; the one shown if none. */
  private find(verdict: Step['event']['verdict'], dir: 1 | -1): number {
    const steps = this.model?.steps ?? [];
    for (let i = this.at + dir; i >= 0 && i < steps.length; i += dir) if (steps[i].event.verdict === verdict) return i;
    return this.at;
  }

  /** The step shown (for tests and chapters). */
  get shown(): Step | null {
    return this.model?.steps[this.at] ?? null;
  }

  private get<T>(kind: 'arch' | 'neighbours', key: number): Promise<T> {
    const k = `${kind}:${key}`;
    let p = this.cache.get(k);
    if (!p) {
      p = kind === 'arch' ? this.source.arch(key) : this.source.neighbours(key);
      p.catch(() => this.cache.delete(k));
      this.cache.set(k, p);
    }
    return p as Promise<T>;
  }

  private show(i: number) {
    const m = this.model;
    if (!m || i < 0 || !m.steps.length) {
      this.at = -1;
      this.renderEmpty();
      return;
    }
    const changed = i !== this.at;
    this.at = i;
    const step = m.steps[i];
    this.renderNav();
    const ticket = ++this.ticket;
    const e = step.event;
    void Promise.all([this.get<ArchInfo>('arch', e.from), this.get<ArchInfo>('arch', e.to), this.get<Neighbour[]>('neighbours', e.from)])
      .then(([from, to, neighbours]) => {
        if (ticket === this.ticket) this.render(m, step, from, to, neighbours);
      })
      .catch((err: Error) => {
        if (ticket === this.ticket) this.main.replaceChildren(el('p', { class: 'warn' }, `Cannot show this step: ${err.message}`));
      });
    if (changed) this.onCurrent(e.from);
  }

  private renderNav() {
    const n = this.model?.steps.length ?? 0;
    const s = this.model?.steps[this.at];
    this.prevBtn.disabled = this.at <= 0;
    this.nextBtn.disabled = this.at < 0 || this.at >= n - 1;
    this.position.textContent = s ? `comparison ${whole(s.index + 1)} of ${whole(n)} · evaluation ${whole(s.evals)}` : 'no comparison yet';
  }

  private renderEmpty() {
    this.renderNav();
    const ended = this.model?.ended;
    this.main.replaceChildren(
      el('p', { class: 'muted insp-empty' }, ended ? 'This run made no local-search comparisons (random search, or no stage that climbs).' : 'Press Step or Play: each comparison of local search appears here.'),
    );
    this.legend.replaceChildren();
    delete this.frame.root.dataset.step;
  }

  private render(m: Inspector, step: Step, from: ArchInfo, to: ArchInfo, neighbours: Neighbour[]) {
    const e = step.event;
    const words = this.settings.words;
    const d = this.frame.root.dataset;
    d.step = String(step.index);
    d.verdict = e.verdict;
    d.from = String(e.from);
    d.to = String(e.to);
    d.before = e.before === undefined ? '' : String(e.before);
    d.after = e.after === undefined ? '' : String(e.after);
    d.difference = e.difference === undefined ? '' : String(e.difference);
    const domain = scaleDomain(m, step.index, this.settings.scope);
    const tone = (v: number | undefined) => (v === undefined || !domain ? '#e5e7eb' : ramp(domain[1] > domain[0] ? (v - domain[0]) / (domain[1] - domain[0]) : 1));
    const objective = label(step.objective, words);

    const cellBox = (title: string, term: string, a: ArchInfo, score: number | undefined, highlight: number[], cls: string) => {
      const box = el('div', { class: `insp-cell ${cls}` });
      const h = el('h3');
      h.append(el('dfn', { 'data-term': term }, title), document.createTextNode(` #${a.id}`));
      const score_ = el('p', { class: 'insp-score' });
      score_.append(el('span', { class: 'swatch', style: `background:${tone(score)}` }), document.createTextNode(`${objective}: `), el('strong', { class: 'num' }, fmt(score)));
      box.append(h, cellDiagram(a.edges, highlight, `${title} #${a.id}`), score_);
      return box;
    };
    const verdict = VERDICT_TEXT[e.verdict];
    const mid = el('div', { class: 'insp-verdict' });
    const badge = el('p', { class: `badge ${e.verdict}`, 'data-term': e.verdict, tabindex: '0' });
    badge.append(el('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, verdict.symbol), document.createTextNode(` ${verdict.text}`));
    const diff = el('p', { class: 'insp-diff' });
    diff.append(el('dfn', { 'data-term': 'difference' }, words === 'plain' ? 'difference' : 'Δ'), document.createTextNode(' '), el('strong', { class: 'num' }, fmtSigned(e.difference)));
    const changedText = e.changed.map((p) => {
      const a = from.edges[p];
      return `${a.from}→${a.to}: ${OP_SHORT[a.op] ?? a.op} → ${OP_SHORT[to.edges[p].op] ?? to.edges[p].op}`;
    });
    const why = el(
      'p',
      { class: 'insp-why' },
      e.verdict === 'escape'
        ? `No neighbour of the last sweep was accepted, so #${e.from} is a local optimum. The search jumps two edges away (${changedText.join('; ')}) and carries on from there, whatever it scores.`
        : `Edge ${changedText.join('; ') || '?'}. ${verdictWhy(e)}`,
    );
    mid.append(badge, diff, el('div', { class: 'insp-arrow', 'aria-hidden': 'true' }, e.verdict === 'escape' ? '⤳' : '→'), why);
    const pair = el('div', { class: 'insp-pair' });
    pair.append(cellBox('current cell', 'current', from, e.before, e.changed, 'current'), mid, cellBox(e.verdict === 'escape' ? 'escape to' : 'candidate', e.verdict === 'escape' ? 'escape' : 'candidate', to, e.after, e.changed, 'candidate'));
    this.main.replaceChildren(pair, this.ring(m, step, neighbours, tone));
    this.legend.replaceChildren(...this.legendParts(domain, objective));
  }

  /** The 24 neighbours around the current cell, 4 per edge. */
  private ring(m: Inspector, step: Step, neighbours: Neighbour[], tone: (v: number | undefined) => string): HTMLElement {
    const e = step.event;
    const tried = triedAt(m, step.index);
    const S = 300;
    const c = S / 2;
    const R = 108;
    const box = el('div', { class: 'insp-ring' });
    const title = el('h3');
    title.append(el('dfn', { 'data-term': 'neighbourhood' }, 'the 24 neighbours'), document.createTextNode(` of #${e.from}`));
    const root = svg('svg', { viewBox: `0 0 ${S} ${S}`, class: 'ring', role: 'img' });
    root.setAttribute('aria-label', `The 24 neighbours of cell #${e.from}, four per edge, filled once tried`);
    const spokes = svg('g');
    const centre = svg('g');
    centre.append(svg('circle', { cx: c, cy: c, r: 27, class: 'ring-centre' }), svg('text', { x: c, y: c - 2, 'text-anchor': 'middle', class: 'ring-centre-label' }, 'current'), svg('text', { x: c, y: c + 10, 'text-anchor': 'middle', class: 'ring-centre-label' }, `#${e.from}`));
    root.append(spokes);
    const byEdge = new Map<number, Neighbour[]>();
    for (const n of neighbours) {
      if (!byEdge.has(n.position)) byEdge.set(n.position, []);
      byEdge.get(n.position)!.push(n);
    }
    const readout = this.frame.readout;
    [...byEdge.keys()].sort((a, b) => a - b).forEach((pos, k) => {
      const list = byEdge.get(pos)!;
      const a0 = -Math.PI / 2 + (k * 2 * Math.PI) / 6;
      // Sector label outside the ring.
      const [lx, ly] = [c + (R + 36) * Math.cos(a0), c + (R + 36) * Math.sin(a0)];
      root.append(svg('text', { x: lx, y: ly + 4, 'text-anchor': 'middle', class: 'ring-edge' + (e.changed.includes(pos) ? ' changed' : '') }, `${list[0].from}→${list[0].to}`));
      list.forEach((n, j) => {
        const a = a0 + ((j - 1.5) * 2 * Math.PI) / 6 / 4.3;
        const [x, y] = [c + R * Math.cos(a), c + R * Math.sin(a)];
        const t = tried.get(n.id);
        const isCandidate = n.id === e.to;
        const g = svg('g', { class: `ring-dot${t ? ` tried ${t.verdict}` : ' untried'}${isCandidate ? ' candidate' : ''}`, tabindex: 0, 'data-key': n.id });
        spokes.append(svg('line', { x1: c, y1: c, x2: x, y2: y, class: 'ring-spoke' + (isCandidate ? ' candidate' : '') }));
        const r = isCandidate ? 14 : 11.5;
        const shape =
          t?.verdict === 'accepted'
            ? svg('rect', { x: x - r, y: y - r, width: 2 * r, height: 2 * r, transform: `rotate(45 ${x} ${y})` })
            : svg('circle', { cx: x, cy: y, r });
        shape.setAttribute('fill', t ? tone(t.score) : '#fff');
        g.append(shape, svg('text', { x, y: y + 3.5, 'text-anchor': 'middle', class: 'ring-op' + (t && t.score !== undefined ? ' on-fill' : '') }, OP_SHORT[n.op] ?? n.op));
        const say = () => {
          readout.textContent = `Edge ${n.from}→${n.to}: ${n.was} → ${n.op} (#${n.id}): ${t ? `tried in comparison ${whole(t.step + 1)}, scored ${fmt(t.score)}, ${t.verdict}` : 'not tried yet from this cell'}.`;
        };
        g.addEventListener('pointerenter', say);
        g.addEventListener('focus', say);
        g.append(svg('title', {}, `edge ${n.from}→${n.to}: ${n.op} (#${n.id})${t ? `, score ${fmt(t.score)}` : ', not tried yet'}`));
        root.append(g);
      });
    });
    root.append(centre);
    if (e.changed.length === 2) {
      // An escape (or a best-improvement candidate queued before a move) leaves the neighbourhood: two edges changed, so it lands outside the ring.
      const [x, y] = [S - 26, 26];
      root.append(svg('line', { x1: c, y1: c, x2: x, y2: y, class: 'ring-escape' }));
      root.append(svg('path', { d: star(x, y, 13, 6), class: 'ring-escape-mark' }));
      root.append(svg('text', { x: x - 18, y: y + 5, 'text-anchor': 'end', class: 'ring-escape-label' }, `#${e.to}: 2 edges`));
    }
    const triedHere = neighbours.filter((n) => tried.has(n.id)).length;
    box.append(title, root, el('p', { class: 'muted ring-count' }, `${triedHere} of ${neighbours.length} tried from this cell`));
    return box;
  }

  private legendParts(domain: [number, number] | null, objective: string): HTMLElement[] {
    const bar = el('span', { class: 'ramp', style: `background:${RAMP_GRADIENT}` });
    const scale = el('span', { class: 'insp-scale' });
    scale.append(el('span', { class: 'num' }, fmt(domain?.[0])), bar, el('span', { class: 'num' }, fmt(domain?.[1])));
    const scopeSel = el('select', { 'aria-label': 'Colour scale spans' });
    for (const [v, t] of [['neighbourhood', 'this neighbourhood'], ['run', 'the whole run so far']]) {
      const o = el('option', { value: v }, t);
      if (v === this.settings.scope) o.selected = true;
      scopeSel.append(o);
    }
    scopeSel.onchange = () => this.configure({ scope: scopeSel.value as InspectorSettings['scope'] });
    const scopeLabel = el('label', { class: 'inline' });
    scopeLabel.append(document.createTextNode('colour scale: '), scopeSel);
    const shapes = el('span', { class: 'insp-shapes' }, '● tried, worse · ◆ accepted · ○ not tried yet · ★ escape (2 edges)');
    const what = el('span', {}, `${objective}, worse → better:`);
    return [what, scale, scopeLabel, shapes];
  }
}

/** Why the engine's verdict follows from the two scores, in words. */
function verdictWhy(e: Step['event']): string {
  const twoEdges = e.changed.length === 2 ? 'It was queued as a neighbour of the previous cell, so it differs from this one on two edges. ' : '';
  if (e.after === undefined) return `${twoEdges}The table has no score for this cell, so it counts as worse than any cell that has one: the search stays.`;
  if (e.before === undefined) return `${twoEdges}The current cell has no score, so any scored neighbour is better: the search moves.`;
  if (e.verdict === 'accepted') return `${twoEdges}${e.difference === 0 ? 'An equal score is accepted too: the search moves.' : 'Better: the search moves there.'}`;
  return `${twoEdges}Worse: the search stays and tries another neighbour.`;
}
