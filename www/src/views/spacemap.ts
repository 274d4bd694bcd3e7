// The map of all 15,625 cells: one canvas pixel per cell on the engine's fixed 125 × 125
// grid (see SpaceMap), coloured by the cell's rank for a metric, with an SVG layer for the
// marks: local optima, global optima ringed, the runs' paths (start square, escapes,
// returned cell), and the hovered cell with its 24 neighbours marked explicitly and the
// local optimum its climb ends in. Two metrics side by side share the hover and the pick.
import type { Neighbour, SpaceMap } from '../types';
import type { RunPath } from '../models/path';
import { type Words, label } from '../models/glossary';
import { CPU_CANVAS, OP_SHORT, RAMP_GRADIENT, el, fmt, frame, rampInto, star, svg, whole, type FigureFrame } from './figure';
import type { Link } from './link';

export interface MapSettings {
  words: Words;
  /** Mark every scored local optimum (global optima are always ringed). */
  optima: boolean;
}

/** A run drawn on the map. */
export interface MapRun {
  name: string;
  path: RunPath;
  /** 'a' for the run being played, 'b' for the one compared with it. */
  style: 'a' | 'b';
}

/** Where the map gets a cell's neighbours (the engine). */
export interface NeighbourSource {
  neighbours(key: number): Promise<Neighbour[]>;
}

export const MAP_TEXT = {
  caption: 'Every one of the 15,625 cells, coloured by how well it scores: the same cell sits at the same place in both maps.',
  explain: `<p>Rows are set by the operations on edges 0→1, 0→2 and 1→2, columns by edges 0→3, 1→3 and
    2→3: each of the 5 big column blocks is one operation on the direct edge 0→3 (labelled on top),
    each big row block one operation on edge 0→1 (labelled left); inside a block the next edge
    repeats the pattern in 5 smaller blocks, and so on. Operations run from worst to best on
    average: none, avg pool, skip, 1×1, 3×3.</p>
    <p>Colour is a cell's <dfn data-term="rank">rank</dfn> (yellow best); grey cells have
    <dfn data-term="no value">no value</dfn>. Dots mark <dfn data-term="local optimum">local
    optima</dfn>, red rings the <dfn data-term="global optimum">global optimum</dfn>. Point at a
    cell: its 24 <dfn data-term="neighbour">neighbours</dfn> are boxed (half in its row, half in
    its column, but not every cell of its row or column is one) and a line leads to the optimum
    its climb ends in (its <dfn data-term="basin">basin</dfn>). The run's path is drawn on top:
    ■ start, ★ escape, ◆ the cell it returned.</p>`,
};

const GREY: [number, number, number] = [209, 213, 219];

interface Panel {
  map: SpaceMap;
  root: HTMLElement;
  canvas: HTMLCanvasElement;
  overlay: SVGSVGElement;
  hover: SVGGElement;
  paths: SVGGElement;
  cellOf: Map<number, number>;
}

export class SpaceMapFigure {
  readonly frame: FigureFrame;
  private panels: Panel[] = [];
  private runs: MapRun[] = [];
  private grid: HTMLElement;
  private legend: HTMLElement;
  private neighbourTicket = 0;

  constructor(
    container: HTMLElement,
    private link: Link,
    private source: NeighbourSource,
    private settings: MapSettings,
  ) {
    this.frame = frame(container, 'map', MAP_TEXT);
    this.grid = el('div', { class: 'map-grid' });
    this.legend = el('div', { class: 'map-legend' });
    this.frame.body.append(this.grid, this.legend);
    link.on((hovered, picked) => this.showHover(hovered ?? picked));
  }

  /** Draws one or two metrics (the second may be null). */
  setMaps(maps: SpaceMap[]) {
    this.grid.replaceChildren();
    this.panels = maps.map((m) => this.panel(m));
    this.grid.dataset.metrics = maps.map((m) => m.metric).join(',');
    this.drawRuns();
    this.drawLegend();
    this.showHover(this.link.hovered ?? this.link.picked);
  }

  setRuns(runs: MapRun[]) {
    this.runs = runs;
    this.drawRuns();
    this.drawLegend();
  }

  configure(settings: Partial<MapSettings>) {
    this.settings = { ...this.settings, ...settings };
    if (this.panels.length) this.setMaps(this.panels.map((p) => p.map));
  }

  private panel(map: SpaceMap): Panel {
    const side = map.side;
    const root = el('div', { class: 'map-panel', 'data-metric': map.metric });
    // The marked optima, for tests and for anyone checking the picture against `mfnas landscape`.
    root.dataset.optima = map.optima.map((c) => map.ids[c]).join(',');
    root.dataset.global = map.global_optima.map((c) => map.ids[c]).join(',');
    const title = el('h3');
    title.append(el('dfn', { 'data-term': map.metric, 'data-label': map.metric }, label(map.metric, this.settings.words)));
    const frameEl = el('div', { class: 'map-frame' });
    // Axis labels of the outermost digits: operation on edge 0→3 (columns), 0→1 (rows).
    const top = el('div', { class: 'map-top' });
    const left = el('div', { class: 'map-left' });
    for (const op of map.op_order) {
      top.append(el('span', {}, OP_SHORT[op] ?? op));
      left.append(el('span', {}, OP_SHORT[op] ?? op));
    }
    const [re, ce] = [map.row_edges[0], map.col_edges[0]];
    const corner = el('div', { class: 'map-corner' }, `${re[0]}→${re[1]} ↓ · ${ce[0]}→${ce[1]} →`);
    const stack = el('div', { class: 'map-stack' });
    const canvas = el('canvas', { width: String(side), height: String(side), class: 'map-canvas', 'aria-hidden': 'true' });
    const overlay = svg('svg', { viewBox: `0 0 ${side} ${side}`, preserveAspectRatio: 'none', class: 'map-overlay', role: 'img' });
    overlay.setAttribute('aria-label', `Map of ${map.metric}: ${map.summary.n_optima} local optima, ${map.summary.n_missing} cells without a value`);
    stack.append(canvas, overlay);
    stack.tabIndex = 0;
    frameEl.append(corner, top, left, stack);
    root.append(title, frameEl);
    this.grid.append(root);
    this.paint(map, canvas);
    // Block lines every 25 cells (and fainter every 5).
    const lines = svg('g', { class: 'map-blocks' });
    for (let i = 5; i < side; i += 5) {
      const cls = i % 25 === 0 ? 'major' : 'minor';
      lines.append(svg('line', { x1: i, y1: 0, x2: i, y2: side, class: cls }), svg('line', { x1: 0, y1: i, x2: side, y2: i, class: cls }));
    }
    overlay.append(lines);
    const marks = svg('g', { class: 'map-marks' });
    const at = (c: number) => [(c % side) + 0.5, Math.floor(c / side) + 0.5];
    if (this.settings.optima) {
      let d = '';
      for (const c of map.optima) {
        const [x, y] = at(c);
        d += `M${x - 0.6},${y}a0.6,0.6 0 1,0 1.2,0a0.6,0.6 0 1,0 -1.2,0`;
      }
      marks.append(svg('path', { d, class: 'map-optimum' }));
    }
    for (const c of map.global_optima) {
      const [x, y] = at(c);
      marks.append(svg('circle', { cx: x, cy: y, r: 2.6, class: 'map-global' }));
    }
    overlay.append(marks);
    const paths = svg('g', { class: 'map-paths' });
    const hover = svg('g', { class: 'map-hover' });
    overlay.append(paths, hover);
    // A plain loop: mapping to [key, cell] pairs first allocated 15,625 arrays in one task.
    const cellOf = new Map<number, number>();
    for (let c = 0; c < map.ids.length; c++) cellOf.set(map.ids[c], c);
    const pick = (ev: PointerEvent | MouseEvent) => {
      const r = stack.getBoundingClientRect();
      const col = Math.floor(((ev.clientX - r.left) / r.width) * side);
      const row = Math.floor(((ev.clientY - r.top) / r.height) * side);
      if (col < 0 || row < 0 || col >= side || row >= side) return null;
      return map.ids[row * side + col];
    };
    stack.addEventListener('pointermove', (ev) => this.link.hover(pick(ev)));
    stack.addEventListener('pointerleave', () => this.link.hover(null));
    stack.addEventListener('click', (ev) => this.link.pick(pick(ev)));
    // Keyboard: arrows move a cursor cell by cell, Enter picks it.
    stack.addEventListener('keydown', (ev) => {
      const cur = this.link.hovered ?? this.link.picked ?? map.ids[0];
      const c = cellOf.get(cur) ?? 0;
      const move: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -side, ArrowDown: side, PageUp: -25 * side, PageDown: 25 * side };
      if (ev.key in move) {
        ev.preventDefault();
        ev.stopPropagation();
        const n = Math.min(side * side - 1, Math.max(0, c + move[ev.key]));
        this.link.hover(map.ids[n]);
      } else if (ev.key === 'Enter') {
        this.link.pick(cur);
      }
    });
    return { map, root, canvas, overlay, hover, paths, cellOf };
  }

  /** One pixel per cell: colour by rank among the scored cells (best yellow), grey where missing. */
  private paint(map: SpaceMap, canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', CPU_CANVAS);
    if (!ctx) return;
    const img = ctx.createImageData(map.side, map.side);
    const scored = map.summary.n_archs - map.summary.n_missing;
    const px = img.data;
    for (let c = 0; c < map.rank.length; c++) {
      const r = map.rank[c];
      if (r === undefined || r === null) px.set(GREY, 4 * c);
      else rampInto(scored > 1 ? 1 - r / (scored - 1) : 1, px, 4 * c);
      px[4 * c + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  private drawRuns() {
    for (const p of this.panels) {
      p.paths.replaceChildren();
      for (const run of this.runs) p.paths.append(this.runMarks(p, run));
    }
  }

  private runMarks(p: Panel, run: MapRun): SVGGElement {
    const side = p.map.side;
    const g = svg('g', { class: `map-run run-${run.style}`, 'data-steps': run.path.steps.length });
    const xy = (key: number) => {
      const c = p.cellOf.get(key);
      return c === undefined ? null : [(c % side) + 0.5, Math.floor(c / side) + 0.5];
    };
    let d = '';
    for (const k of run.path.evaluated) {
      const q = xy(k);
      if (q) d += `M${q[0] - 0.5},${q[1] - 0.5}h1v1h-1z`;
    }
    g.append(svg('path', { d, class: 'map-evaluated' }));
    // Moves (one edge changed: along a row or a column) solid, escapes (two edges) dashed.
    const pts = run.path.steps.map(xy);
    const escapes = new Set(run.path.escapes);
    let moves = '';
    let jumps = '';
    for (let i = 1; i < pts.length; i++) {
      const [a, b] = [pts[i - 1], pts[i]];
      if (!a || !b) continue;
      const seg = `M${a[0]},${a[1]}L${b[0]},${b[1]}`;
      if (escapes.has(i)) jumps += seg;
      else moves += seg;
    }
    g.append(svg('path', { d: moves, class: 'map-path' }), svg('path', { d: jumps, class: 'map-path jump' }));
    for (const i of run.path.escapes) {
      const q = pts[i];
      if (q) g.append(svg('path', { d: star(q[0], q[1], 1.5, 0.65), class: 'map-escape' }));
    }
    if (pts[0]) g.append(svg('rect', { x: pts[0][0] - 1.3, y: pts[0][1] - 1.3, width: 2.6, height: 2.6, class: 'map-start' }));
    for (const k of run.path.candidates) {
      const q = xy(k);
      if (q) g.append(svg('circle', { cx: q[0], cy: q[1], r: 1.1, class: 'map-candidate' }));
    }
    if (run.path.final !== null) {
      const q = xy(run.path.final);
      if (q) g.append(svg('path', { d: `M${q[0]},${q[1] - 2.2}L${q[0] + 2.2},${q[1]}L${q[0]},${q[1] + 2.2}L${q[0] - 2.2},${q[1]}Z`, class: 'map-final' }));
    }
    return g;
  }

  private drawLegend() {
    const m = this.panels[0]?.map;
    if (!m) return this.legend.replaceChildren();
    const ramp = el('span', { class: 'ramp', style: `background:${RAMP_GRADIENT}` });
    const parts: (HTMLElement | string)[] = [el('span', {}, 'rank: worse'), ramp, el('span', {}, 'better'), el('span', { class: 'swatch grey' }), el('span', {}, 'no value')];
    const runs = this.runs.map((r) => el('span', { class: `legend-run run-${r.style}` }, r.name));
    this.legend.replaceChildren(...parts, el('span', { class: 'legend-mark optimum' }, 'local optimum'), el('span', { class: 'legend-mark global' }, 'global optimum'), ...runs);
  }

  /** Boxes the cell and its 24 neighbours in every panel, with a line to its optimum. */
  private showHover(key: number | null) {
    const ticket = ++this.neighbourTicket;
    for (const p of this.panels) p.hover.replaceChildren();
    if (key === null) {
      this.frame.readout.textContent = 'Point at a cell (or focus a map and use the arrow keys) to see its values and neighbours.';
      return;
    }
    const parts = this.panels.map((p) => {
      const c = p.cellOf.get(key);
      if (c === undefined) return '';
      const rank = p.map.rank[c];
      const scored = p.map.summary.n_archs - p.map.summary.n_missing;
      return `${label(p.map.metric, this.settings.words)} ${fmt(p.map.values[c])}${rank === undefined || rank === null ? '' : ` (rank ${whole(rank + 1)} of ${whole(scored)})`}`;
    });
    const first = this.panels[0];
    const c0 = first?.cellOf.get(key);
    const opt = c0 === undefined ? undefined : first.map.ids[first.map.optimum[c0]];
    this.frame.readout.textContent = `Cell #${key}: ${parts.filter(Boolean).join(' · ')}${opt === undefined ? '' : opt === key ? ' · a local optimum' : ` · climbs to #${opt}`}.`;
    this.frame.root.dataset.hovered = String(key);
    for (const p of this.panels) this.drawCursor(p, key, []);
    void this.source.neighbours(key).then((ns) => {
      if (ticket !== this.neighbourTicket) return;
      for (const p of this.panels) this.drawCursor(p, key, ns.map((n) => n.id));
    });
  }

  private drawCursor(p: Panel, key: number, neighbours: number[]) {
    const side = p.map.side;
    const c = p.cellOf.get(key);
    p.hover.replaceChildren();
    if (c === undefined) return;
    const [x, y] = [c % side, Math.floor(c / side)];
    let d = '';
    for (const n of neighbours) {
      const nc = p.cellOf.get(n);
      if (nc !== undefined) d += `M${(nc % side) - 0.3},${Math.floor(nc / side) - 0.3}h1.6v1.6h-1.6z`;
    }
    const optimum = p.map.optimum[c];
    const [ox, oy] = [(optimum % side) + 0.5, Math.floor(optimum / side) + 0.5];
    p.hover.append(
      svg('line', { x1: x + 0.5, y1: 0, x2: x + 0.5, y2: side, class: 'map-crosshair' }),
      svg('line', { x1: 0, y1: y + 0.5, x2: side, y2: y + 0.5, class: 'map-crosshair' }),
      svg('path', { d, class: 'map-neighbour', 'data-n': neighbours.length }),
      svg('line', { x1: x + 0.5, y1: y + 0.5, x2: ox, y2: oy, class: 'map-climb' }),
      svg('rect', { x: x - 0.9, y: y - 0.9, width: 2.8, height: 2.8, class: 'map-cursor' }),
    );
  }
}
