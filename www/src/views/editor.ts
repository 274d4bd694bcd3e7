// The cell editor: an NB201 cell whose diagram can be edited (click an edge, or use the
// keyboard, to choose its operation), with what the engine knows of the edited cell at once:
// its index and arch string, its values in the table, its 24 neighbours with theirs (which are
// better, which one hill climbing takes), the climb to its local optimum and that optimum's
// basin under the chosen metric. Used by the editor view (mounts/editor.ts) and free to be
// mounted elsewhere (a chapter): it needs only the three engine requests of `EditorEngine`.
import type { ArchInfo, CellEdge, CellLandscape, CellNeighbour } from '../types';
import { cellDiagram } from './celldiagram';
import { el, fmt, OP_SHORT } from './figure';
import { escapeHtml } from '../html';
import './editor.css';
import { label, type Words } from '../models/glossary';
import {
  EDGES,
  OPS,
  type Op,
  archStringOf,
  changedEdges,
  climbSteps,
  connected,
  edgeKey,
  edgeName,
  neighbourSummary,
  opsOf,
  rankText,
  topShare,
  withOp,
} from '../models/editor';

/** The engine requests the editor makes. */
export interface EditorEngine {
  arch(id: number): Promise<ArchInfo>;
  parseArch(text: string): Promise<number>;
  cellLandscape(id: number, metric: string): Promise<CellLandscape>;
}

export interface EditorOptions {
  words: Words;
  /** The metric whose landscape places the cell (a column or `zc:` proxy name). */
  metric: string;
}

/** Long operation names for menus and screen readers. */
const OP_LONG: Record<Op, string> = {
  none: 'none (cut the edge)',
  skip_connect: 'skip connection',
  nor_conv_1x1: '1×1 convolution',
  nor_conv_3x3: '3×3 convolution',
  avg_pool_3x3: '3×3 average pooling',
};

export class CellEditor {
  /** The cell changed (an edit, a neighbour or a step of the climb was chosen, or Go). */
  onCell: (id: number) => void = () => {};
  /** "Start a local search here"; the button shows only when this is set. */
  onStart: ((id: number) => void) | null = null;
  /** "Show on the map"; the button shows only when this is set. */
  onMap: ((id: number) => void) | null = null;
  /** A cell is shown (after every edit): panels in `extras` follow it from here. */
  onShown: (info: ArchInfo) => void = () => {};
  /** An engine request failed in a way the page should report. */
  onError: (text: string) => void = () => {};
  /** The editor's main figure (the editable cell). */
  readonly figure: HTMLElement;
  /** Where panels about the edited cell attach (real proxies, training), under its actions. */
  readonly extras: HTMLElement;

  private options: EditorOptions;
  private ops: Op[] | null = null;
  private info: ArchInfo | null = null;
  private land: CellLandscape | null = null;
  private landError: string | null = null;
  private focused = 0;
  /** The operations of the cell shown before this one, and the edges where the two differ (highlighted). */
  private loadedOps: Op[] | null = null;
  private changed: number[] = [];
  private ticket = 0;
  private q: <T extends HTMLElement>(sel: string) => T;

  constructor(
    private root: HTMLElement,
    private engine: EditorEngine,
    options: EditorOptions,
  ) {
    this.options = { ...options };
    root.classList.add('editor');
    root.innerHTML = `
      <section class="panel ed-cell" aria-labelledby="ed-title">
        <h2 id="ed-title">Edit a <dfn class="term" data-term="cell" tabindex="0">cell</dfn></h2>
        <div class="ed-figure">
          <div class="ed-diagram" role="group" aria-label="Editable cell"></div>
          <div class="ed-menu" role="menu" hidden></div>
        </div>
        <p class="ed-hint muted">Click an <dfn class="term" data-term="edge" tabindex="0">edge</dfn> to choose its <dfn class="term" data-term="operation" tabindex="0">operation</dfn>. Keyboard: Tab to the cell, ← → pick an edge, ↑ ↓ or 1–5 change its operation, Enter opens the menu.</p>
        <p class="ed-id"></p>
        <p class="ed-string arch-string"></p>
        <p class="ed-warn warn" hidden>The output is not connected to the input: this cell computes nothing useful.</p>
        <form class="ed-goto"><label>Go to a cell <input name="cell" autocomplete="off" spellcheck="false" placeholder="index (0–15624) or arch string"></label><button type="submit">Go</button></form>
        <div class="ed-actions"></div>
        <div class="ed-extras"></div>
        <p class="ed-status muted" aria-live="polite"></p>
      </section>
      <section class="panel ed-numbers" aria-labelledby="ed-numbers-title">
        <h2 id="ed-numbers-title">Its numbers</h2>
        <div class="ed-metric"></div>
        <div class="ed-values"></div>
      </section>
      <section class="panel ed-neighbours" aria-labelledby="ed-nb-title">
        <h2 id="ed-nb-title">Its 24 <dfn class="term" data-term="neighbour" tabindex="0">neighbours</dfn></h2>
        <p class="ed-nb-summary"></p>
        <div class="ed-nb-table"></div>
        <p class="ed-legend muted"><span class="ed-glyph better">▲</span> better than this cell · <span class="ed-glyph worse">▼</span> not better · <span class="ed-glyph climb">★</span> where best-improvement hill climbing moves · click one to edit that edge.</p>
      </section>
      <section class="panel ed-optimum" aria-labelledby="ed-opt-title">
        <h2 id="ed-opt-title">Where hill climbing from here ends</h2>
        <div class="ed-opt-body"></div>
      </section>
`;
    this.q = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
    this.figure = this.q('.ed-cell');
    this.extras = this.q('.ed-extras');
    this.wire();
  }

  /** The cell shown, by id (null before the first). */
  get id(): number | null {
    return this.info?.id ?? null;
  }

  configure(patch: Partial<EditorOptions>) {
    const metricChanged = patch.metric !== undefined && patch.metric !== this.options.metric;
    Object.assign(this.options, patch);
    if (metricChanged && this.info) void this.load(this.info.id);
    else this.renderNumbers();
  }

  /** Shows the cell with id `id` (the NB201 index). */
  async show(id: number): Promise<void> {
    await this.load(id);
  }

  /** Shows the cell given as an index or an arch string; false (with a message) when it is neither. */
  async go(text: string): Promise<boolean> {
    const t = text.trim();
    if (!t) return false;
    try {
      const id = await this.engine.parseArch(t);
      await this.load(id);
      this.onCell(id);
      return true;
    } catch (e) {
      this.status(`“${t}” is not a cell: ${(e as Error).message}`);
      return false;
    }
  }

  private status(text: string) {
    this.q('.ed-status').textContent = text;
  }

  private async load(id: number) {
    const t = ++this.ticket;
    this.root.setAttribute('aria-busy', 'true');
    try {
      const info = await this.engine.arch(id);
      if (t !== this.ticket) return;
      this.info = info;
      this.ops = info.edges.length === 6 ? (info.edges.map((e) => e.op) as Op[]) : opsOf(info.arch_string);
      this.changed = this.loadedOps && this.ops ? changedEdges(this.loadedOps, this.ops) : [];
      this.loadedOps = this.ops;
      this.renderCell();
      this.onShown(info);
      this.renderNumbers();
      try {
        this.land = await this.engine.cellLandscape(id, this.options.metric);
        this.landError = null;
      } catch (e) {
        this.land = null;
        this.landError = (e as Error).message;
      }
      if (t !== this.ticket) return;
      this.renderNumbers();
    } catch (e) {
      if (t === this.ticket) this.onError(`Cannot show cell ${id}: ${(e as Error).message}`);
    } finally {
      if (t === this.ticket) this.root.removeAttribute('aria-busy');
    }
  }

  /** Edits edge `position` to `op` (the diagram updates at once; the numbers follow). */
  private async edit(position: number, op: Op) {
    if (!this.ops || this.ops[position] === op) return;
    const ops = withOp(this.ops, position, op);
    const before = this.ops;
    this.ops = ops;
    this.focused = position;
    this.renderDiagram(changedEdges(before, ops));
    this.focusEdge(position);
    try {
      const id = await this.engine.parseArch(archStringOf(ops));
      this.status(`Edge ${edgeName(position)} is now ${OP_LONG[op]}: cell #${id}.`);
      await this.load(id);
      this.focusEdge(position);
      this.onCell(id);
    } catch (e) {
      this.onError(`Cannot edit the cell: ${(e as Error).message}`);
    }
  }

  // ---- drawing -------------------------------------------------------------------------

  private renderCell() {
    const a = this.info!;
    this.renderDiagram(this.changed);
    this.q('.ed-id').innerHTML = `<strong class="ed-index" data-id="${a.id}">Cell #${a.id}</strong> <span class="muted">(its NAS-Bench-201 index)</span>`;
    this.q('.ed-string').innerHTML = `<code data-arch-string="${escapeHtml(a.arch_string)}">${escapeHtml(a.arch_string)}</code>`;
    this.q('.ed-warn').hidden = this.ops ? connected(this.ops) : a.connected;
    this.root.dataset.cell = String(a.id);
    this.root.dataset.archString = a.arch_string;
    this.renderActions();
  }

  private renderActions() {
    const box = this.q('.ed-actions');
    box.replaceChildren();
    if (this.onStart) box.append(el('button', { type: 'button', 'data-action': 'start', title: 'Local search (LS, BLS, or MF-NAS stage 1) starts from this cell instead of a random one' }, 'Start a local search here'));
    if (this.onMap) box.append(el('button', { type: 'button', 'data-action': 'map' }, 'Show on the map'));
  }

  /** The diagram with edges at `changed` highlighted; every edge is a control. */
  private renderDiagram(changed: number[]) {
    const box = this.q('.ed-diagram');
    if (!this.ops) {
      box.textContent = 'This cell is not an NB201 cell: it cannot be edited edge by edge.';
      return;
    }
    const edges: CellEdge[] = this.ops.map((op, i) => ({ from: EDGES[i][0], to: EDGES[i][1], op }));
    const svg = cellDiagram(edges, changed, `Editable cell #${this.info?.id ?? ''}: ${this.ops.map((op, i) => `${edgeName(i)} ${OP_SHORT[op]}`).join(', ')}`);
    svg.classList.add('ed-svg');
    // A group of edge buttons, not one image (an image's children are hidden from screen readers).
    svg.setAttribute('role', 'group');
    for (const g of svg.querySelectorAll<SVGGElement>('.cd-edge')) {
      const i = Number(g.dataset.position);
      const op = this.ops[i];
      // A wide transparent stroke makes the thin edge easy to hit with a finger or a mouse.
      const path = g.querySelector('path:last-of-type')!;
      const hit = path.cloneNode() as SVGPathElement;
      hit.setAttribute('class', 'ed-hit');
      hit.setAttribute('stroke', 'transparent');
      hit.setAttribute('stroke-width', '16');
      hit.removeAttribute('stroke-dasharray');
      hit.removeAttribute('marker-end');
      g.prepend(hit);
      g.setAttribute('role', 'button');
      g.setAttribute('tabindex', i === this.focused ? '0' : '-1');
      g.setAttribute('aria-haspopup', 'menu');
      g.setAttribute('aria-label', `Edge ${i + 1} of 6, ${edgeName(i)}: ${OP_LONG[op]}. Enter for the menu, up and down arrows to change it, left and right arrows for the other edges.`);
      g.classList.add('ed-edge');
    }
    box.replaceChildren(svg);
  }

  private focusEdge(position: number) {
    this.focused = position;
    const edges = this.root.querySelectorAll<SVGGElement>('.ed-edge');
    edges.forEach((g, i) => g.setAttribute('tabindex', i === position ? '0' : '-1'));
    edges[position]?.focus();
  }

  private metricLabel(): string {
    return label(this.land?.metric ?? this.options.metric, this.options.words);
  }

  private renderNumbers() {
    const a = this.info;
    if (!a) return;
    // While the landscape of a new cell is on its way, the old one stays (dimmed), never mixed in.
    const c = this.land && this.land.cell.id === a.id ? this.land : null;
    const waiting = !c && !this.landError && this.land !== null;
    const metric = this.q('.ed-metric');
    const words = this.options.words;
    const test = c?.cell.test_acc ?? a.values.find((v) => v.name.startsWith('test_acc'))?.value;
    if (c) {
      const share = topShare(c.cell, c.n_scored);
      metric.innerHTML = `<dl class="ed-dl">
        <dt><span class="term" data-term="${escapeHtml(c.metric)}" tabindex="0">${escapeHtml(label(c.metric, words))}</span></dt>
        <dd><strong class="ed-value num">${fmt(c.cell.value)}</strong> · ${rankText(c.cell, c.n_scored)}${share ? ` (${share})` : ''}${c.negated ? ' · smaller is better' : ''}</dd>
        <dt><span class="term" data-term="test accuracy" tabindex="0">${escapeHtml(label('test accuracy', words))}</span></dt>
        <dd class="num">${test === undefined || test === null ? 'not in the table' : `${fmt(test, 2)} %`}</dd></dl>`;
    } else if (!waiting) {
      metric.innerHTML = `<p class="muted">${escapeHtml(this.landError ? `No landscape for ${this.options.metric}: ${this.landError}` : 'Placing the cell in its landscape…')}</p>`;
    }
    const rows = a.values
      .map((v) => `<tr><th scope="row">${escapeHtml(v.name)}</th><td class="num">${fmt(v.value)}${v.unit && v.unit !== '%' ? ` ${escapeHtml(v.unit)}` : escapeHtml(v.unit)}</td></tr>`)
      .join('');
    this.q('.ed-values').innerHTML = a.values.length
      ? `<details><summary>All ${a.values.length} values the table has for cell #${a.id}</summary><div class="table-scroll" tabindex="0" role="region" aria-label="Values of cell #${a.id}"><table class="values"><caption class="visually-hidden">Every value the table has for cell #${a.id}</caption>${rows}</table></div></details>`
      : '<p class="muted">The table has no values for this cell.</p>';
    if (waiting) return;
    this.renderNeighbours();
    this.renderOptimum();
  }

  private renderNeighbours() {
    const box = this.q('.ed-nb-table');
    const summary = this.q('.ed-nb-summary');
    const c = this.land?.cell.id === this.info?.id ? this.land : null;
    if (!c || !this.ops) {
      box.replaceChildren();
      summary.textContent = c ? '' : (this.landError ?? '');
      return;
    }
    const s = neighbourSummary(c);
    const climb = c.neighbours.find((n) => n.climb);
    // A table of part of the space has only some of them.
    const partial = s.total < 24 ? `This table holds ${c.n_cells.toLocaleString('en')} cells: ${s.total} of this cell's 24 neighbours are among them. ` : '';
    summary.innerHTML = partial + (s.optimum
      ? `Under ${escapeHtml(this.metricLabel())}, ${s.total ? `none of its ${s.total} neighbours is strictly better` : 'hill climbing has nowhere to go'}: this cell is a <dfn class="term" data-term="local optimum" tabindex="0">local optimum</dfn>.`
      : `Under ${escapeHtml(this.metricLabel())}, ${s.better} of its ${s.total} neighbours ${s.better === 1 ? 'is' : 'are'} better. Best-improvement hill climbing moves to the best of them: ${climb ? `${edgeName(climb.position)} → ${escapeHtml(OP_SHORT[climb.op] ?? climb.op)} (cell #${climb.cell.id})` : ''}.`);
    const byEdge = EDGES.map((_, p) => c.neighbours.filter((n) => n.position === p));
    const cellButton = (n: CellNeighbour) => {
      const kind = n.cell.value === null || n.cell.value === undefined ? 'missing' : n.better ? 'better' : 'worse';
      const glyph = n.climb ? '★' : kind === 'better' ? '▲' : kind === 'worse' ? '▼' : '';
      const verdict = kind === 'missing' ? 'no value' : kind === 'better' ? 'better' : 'not better';
      // The visible text starts the accessible name; the rest is said, not shown.
      const said = ` (${verdict}${n.climb ? ', where hill climbing moves' : ''}; edge ${edgeName(n.position)} becomes ${OP_LONG[n.op as Op] ?? n.op}: cell #${n.cell.id})`;
      return `<button type="button" class="ed-nb ${kind}${n.climb ? ' climb' : ''}" data-id="${n.cell.id}" data-position="${n.position}" data-op="${escapeHtml(n.op)}" title="${escapeHtml(`cell #${n.cell.id}: ${n.cell.arch_string}`)}"><span class="ed-nb-op">${escapeHtml(OP_SHORT[n.op] ?? n.op)}</span> <span class="ed-nb-v num">${fmt(n.cell.value)}</span><span class="ed-glyph ${n.climb ? 'climb' : kind}" aria-hidden="true">${glyph}</span><span class="visually-hidden">${escapeHtml(said)}</span></button>`;
    };
    box.innerHTML = `<table class="ed-nbt"><caption class="visually-hidden">The 24 neighbours of cell #${c.cell.id} under ${escapeHtml(this.metricLabel())}: one row per edge, one button per other operation</caption>
      <thead><tr><th scope="col">edge (now)</th><th scope="col" colspan="4">change it to</th></tr></thead>
      <tbody>${byEdge
        .map(
          (ns, p) =>
            `<tr><th scope="row"><span class="ed-edge-name">${edgeName(p)}</span> <span class="ed-now">${escapeHtml(OP_SHORT[this.ops![p]])}</span></th>${ns.map((n) => `<td>${cellButton(n)}</td>`).join('')}</tr>`,
        )
        .join('')}</tbody></table>`;
  }

  private renderOptimum() {
    const box = this.q('.ed-opt-body');
    const c = this.land?.cell.id === this.info?.id ? this.land : null;
    if (!c) {
      box.innerHTML = `<p class="muted">${escapeHtml(this.landError ?? '')}</p>`;
      return;
    }
    const o = c.optimum;
    const steps = climbSteps(c);
    const basinShare = (100 * o.basin_size) / c.n_cells;
    const at = steps.length === 1 ? 'This cell is itself' : `From here, best-improvement hill climbing takes ${steps.length - 1} step${steps.length === 2 ? '' : 's'} to`;
    const kind = !o.scored
      ? `an <dfn class="term" data-term="unscored optimum" tabindex="0">optimum without a value</dfn>`
      : o.global
        ? `a <dfn class="term" data-term="global optimum" tabindex="0">global optimum</dfn> ★ (the best cell of all under this metric)`
        : `a <dfn class="term" data-term="local optimum" tabindex="0">local optimum</dfn>, not a global one (the metric has ${c.n_optima.toLocaleString('en')} local optima)`;
    const opsA = this.ops;
    const opsB = opsOf(o.cell.arch_string);
    const diff = opsA && opsB ? changedEdges(opsA, opsB) : [];
    box.innerHTML = `<p class="ed-opt-text">${at} cell <button type="button" class="link" data-id="${o.cell.id}">#${o.cell.id}</button>, ${kind}. Its <dfn class="term" data-term="basin" tabindex="0">basin</dfn> holds <strong class="ed-basin num" data-basin="${o.basin_size}">${o.basin_size.toLocaleString('en')}</strong> of the ${c.n_cells.toLocaleString('en')} cells (${basinShare < 0.1 ? basinShare.toFixed(3) : basinShare.toFixed(1)} %): every cell whose climb ends there.</p>
      <div class="ed-opt-grid"><div class="ed-opt-cell"></div><div>
        <p class="ed-opt-numbers">${escapeHtml(this.metricLabel())}: <strong class="num">${fmt(o.cell.value)}</strong> · ${rankText(o.cell, c.n_scored)}<br>${escapeHtml(label('test accuracy', this.options.words))}: <span class="num">${o.cell.test_acc === null || o.cell.test_acc === undefined ? 'not in the table' : `${fmt(o.cell.test_acc, 2)} %`}</span>${diff.length ? `<br>It differs from this cell on ${diff.length} edge${diff.length === 1 ? '' : 's'} (highlighted).` : ''}</p>
      </div></div>
      ${steps.length > 1 ? `<ol class="ed-climb" aria-label="The climb, step by step">${steps.map((s, i) => `<li><button type="button" class="link" data-id="${s.cell.id}">#${s.cell.id}</button> <span class="num">${fmt(s.cell.value)}</span>${i === 0 ? ' <span class="muted">(this cell)</span>' : ` <span class="muted">${s.changed.map((p) => `${edgeName(p)} → ${escapeHtml(OP_SHORT[opsOf(s.cell.arch_string)?.[p] ?? ''] ?? '')}`).join(', ')}</span>`}</li>`).join('')}</ol>` : ''}`;
    if (opsB) {
      const edges: CellEdge[] = opsB.map((op, i) => ({ from: EDGES[i][0], to: EDGES[i][1], op }));
      box.querySelector('.ed-opt-cell')!.append(cellDiagram(edges, diff, `The local optimum, cell #${o.cell.id}: ${opsB.map((op, i) => `${edgeName(i)} ${OP_SHORT[op]}`).join(', ')}`));
    }
  }

  // ---- input ---------------------------------------------------------------------------

  private wire() {
    const diagram = this.q('.ed-diagram');
    const menu = this.q('.ed-menu');
    diagram.addEventListener('click', (ev) => {
      const g = (ev.target as Element).closest<SVGGElement>('.ed-edge');
      if (g) this.openMenu(Number(g.dataset.position));
    });
    diagram.addEventListener('keydown', (ev) => {
      const g = (ev.target as Element).closest<SVGGElement>('.ed-edge');
      if (!g || !this.ops) return;
      const p = Number(g.dataset.position);
      const what = edgeKey(ev.key, p, this.ops[p]);
      if (!what) return;
      ev.preventDefault();
      if (what.kind === 'focus') this.focusEdge(what.position);
      else if (what.kind === 'set') void this.edit(p, what.op);
      else this.openMenu(p);
    });
    menu.addEventListener('click', (ev) => {
      const b = (ev.target as Element).closest<HTMLButtonElement>('button[data-op]');
      if (!b) return;
      const p = Number(menu.dataset.position);
      this.closeMenu();
      void this.edit(p, b.dataset.op as Op);
    });
    menu.addEventListener('keydown', (ev) => {
      const items = [...menu.querySelectorAll<HTMLButtonElement>('button')];
      const i = items.indexOf(document.activeElement as HTMLButtonElement);
      if (ev.key === 'Escape' || ev.key === 'Tab') {
        ev.preventDefault();
        this.closeMenu();
        this.focusEdge(Number(menu.dataset.position));
      } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        items[(i + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
      } else if (ev.key === 'Home' || ev.key === 'End') {
        ev.preventDefault();
        items[ev.key === 'Home' ? 0 : items.length - 1].focus();
      }
    });
    document.addEventListener('pointerdown', (ev) => {
      if (!menu.hidden && !menu.contains(ev.target as Node) && !(ev.target as Element).closest?.('.ed-edge')) this.closeMenu();
    });
    this.root.addEventListener('click', (ev) => {
      const t = ev.target as Element;
      const nb = t.closest<HTMLElement>('.ed-nb, button.link[data-id]');
      if (nb?.dataset.id) {
        const id = Number(nb.dataset.id);
        const p = nb.dataset.position;
        if (p !== undefined) this.focused = Number(p);
        // Focus stays where it was: the same place in the neighbours' table, or the climb.
        const row = nb.closest('tr');
        const at = row ? [[...row.parentElement!.children].indexOf(row), [...row.querySelectorAll('.ed-nb')].indexOf(nb)] : null;
        void this.load(id).then(() => {
          this.onCell(id);
          if (document.activeElement && document.activeElement !== document.body) return;
          const again = at ? this.root.querySelectorAll('.ed-nbt tbody tr')[at[0]]?.querySelectorAll<HTMLElement>('.ed-nb')[at[1]] : this.root.querySelector<HTMLElement>('.ed-opt-text button');
          again?.focus();
        });
        return;
      }
      const action = t.closest<HTMLElement>('[data-action]')?.dataset.action;
      if (action === 'start' && this.info) this.onStart?.(this.info.id);
      if (action === 'map' && this.info) this.onMap?.(this.info.id);
    });
    const form = this.q<HTMLFormElement>('.ed-goto');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const input = form.querySelector('input')!;
      void this.go(input.value).then((ok) => ok && (input.value = ''));
    });
  }

  private openMenu(position: number) {
    if (!this.ops) return;
    const menu = this.q('.ed-menu');
    const current = this.ops[position];
    menu.dataset.position = String(position);
    menu.setAttribute('aria-label', `Operation of edge ${edgeName(position)}`);
    menu.innerHTML = `<p class="ed-menu-title" role="presentation" aria-hidden="true">Edge ${edgeName(position)}</p>${OPS.map(
      (op, i) => `<button type="button" role="menuitemradio" aria-checked="${op === current}" data-op="${op}"><span class="ed-key" aria-hidden="true">${i + 1}</span> ${escapeHtml(OP_LONG[op])}</button>`,
    ).join('')}`;
    // Beside the edge's label, inside the figure.
    const g = this.root.querySelector<SVGGElement>(`.ed-edge[data-position="${position}"]`);
    const box = this.q('.ed-figure').getBoundingClientRect();
    const at = g?.querySelector('text')?.getBoundingClientRect() ?? box;
    menu.hidden = false;
    const w = menu.offsetWidth;
    menu.style.left = `${Math.max(0, Math.min(box.width - w, at.left - box.left + at.width / 2 - w / 2))}px`;
    menu.style.top = `${Math.max(0, at.bottom - box.top + 4)}px`;
    menu.querySelector<HTMLButtonElement>('[aria-checked=true]')?.focus();
  }

  private closeMenu() {
    this.q('.ed-menu').hidden = true;
  }
}
