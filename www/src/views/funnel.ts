// The local optima network as a funnel picture: every local optimum placed by its value
// (better at the bottom), funnels side by side, arrows for the escapes that do not get worse,
// node size by basin, the global optimum red, funnel bottoms as ▼; unscored optima hidden by
// default with their number stated. Values, flags and counts are the engine's.
import type { Funnel, FunnelNode } from '../types';
import { type FunnelLayout, type FunnelSettings, layoutFunnel } from '../models/funnel';
import { type Words, label } from '../models/glossary';
import { CPU_CANVAS, el, fmt, frame, logTicks, svg, ticks, whole, type FigureFrame } from './figure';
import type { Link } from './link';

export interface FunnelFigureSettings extends FunnelSettings {
  words: Words;
}

export const FUNNEL_TEXT = {
  caption: 'The local optima of the whole space, better ones lower down: arrows are escapes that lead, after climbing, to an optimum at least as good.',
  explain: `<p>Each node is a <dfn data-term="local optimum">local optimum</dfn>, as large as its
    <dfn data-term="basin">basin</dfn>. Height is its score, the best at the bottom, so improving
    escapes run downhill into <dfn data-term="funnel">funnels</dfn>; ▼ marks a
    <dfn data-term="sink">funnel bottom</dfn>, the red ◆ the <dfn data-term="global optimum">global
    optimum</dfn>. Pink nodes can reach the global optimum without ever getting worse, blue ones
    cannot: a search that lands in a blue funnel stays there unless it is lucky.</p>`,
};

const MAX_EDGES = 2500;
const PAD = { left: 64, right: 16, top: 30, bottom: 28 };

export class FunnelFigure {
  readonly frame: FigureFrame;
  private data: Funnel | null = null;
  private layout: FunnelLayout | null = null;
  private root: SVGSVGElement;
  private notes: HTMLElement;
  private toggle: HTMLInputElement;
  private pos = new Map<number, [number, number]>();
  private focusIndex = -1;
  private order: FunnelNode[] = [];
  private height = 0;

  constructor(
    container: HTMLElement,
    private link: Link,
    private settings: FunnelFigureSettings,
  ) {
    this.frame = frame(container, 'funnel', FUNNEL_TEXT);
    this.root = svg('svg', { class: 'funnel-svg', role: 'img', tabindex: 0 });
    this.notes = el('p', { class: 'funnel-notes' });
    const t = el('label', { class: 'inline' });
    this.toggle = el('input', { type: 'checkbox' });
    this.toggle.checked = settings.showUnscored;
    t.append(this.toggle, document.createTextNode(' show optima without a value'));
    this.toggle.onchange = () => this.configure({ showUnscored: this.toggle.checked });
    this.frame.body.append(this.root, this.notes, t);
    new ResizeObserver(() => this.draw()).observe(this.frame.body);
    link.on((h, p) => this.highlight(h ?? p));
    this.root.addEventListener('keydown', (ev) => {
      if (!this.order.length) return;
      const step: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      if (ev.key in step) {
        ev.preventDefault();
        ev.stopPropagation();
        this.focusIndex = (this.focusIndex + step[ev.key] + this.order.length) % this.order.length;
        this.link.hover(this.order[this.focusIndex].id);
      } else if (ev.key === 'Enter' && this.focusIndex >= 0) this.link.pick(this.order[this.focusIndex].id);
    });
  }

  setData(f: Funnel) {
    this.data = f;
    this.layout = layoutFunnel(f, this.settings);
    this.draw();
  }

  configure(s: Partial<FunnelFigureSettings>) {
    this.settings = { ...this.settings, ...s };
    if (this.data) this.setData(this.data);
  }

  private draw() {
    const f = this.data;
    const L = this.layout;
    const W = Math.max(280, this.frame.body.clientWidth);
    const H = Math.max(300, Math.min(560, Math.round(W * 0.62)));
    this.height = H;
    const r = this.root;
    r.replaceChildren();
    r.setAttribute('viewBox', `0 0 ${W} ${H}`);
    r.setAttribute('width', String(W));
    r.setAttribute('height', String(H));
    if (!f || !L) return;
    const s = f.summary;
    const unscoredBand = this.settings.showUnscored && s.n_unscored_optima > 0 ? 34 : 0;
    const [v0, v1] = L.domain ?? [0, 1];
    const t = (v: number) => (L.log ? (Math.log10(v) - Math.log10(v0)) / (Math.log10(v1) - Math.log10(v0) || 1) : (v - v0) / (v1 - v0 || 1));
    // Better at the bottom: larger values lower, or smaller ones for losses.
    const top = PAD.top + unscoredBand;
    const bottom = H - PAD.bottom;
    const y = (v: number | undefined) => (v === undefined ? PAD.top + unscoredBand / 2 : L.negated ? bottom - t(v) * (bottom - top) : top + t(v) * (bottom - top));
    const x = (u: number) => PAD.left + u * (W - PAD.left - PAD.right);
    const maxBasin = Math.max(1, ...L.nodes.map((p) => p.node.basin_size));
    const radius = (n: FunnelNode) => 3 + 10 * Math.sqrt(n.basin_size / maxBasin);
    this.pos = new Map(L.nodes.map((p) => [p.node.id, [x(p.x), y(p.node.value)]]));
    // Axis: the metric's values, with the direction spelled out.
    const axis = svg('g', { class: 'axes' });
    axis.append(svg('line', { x1: PAD.left - 8, y1: top, x2: PAD.left - 8, y2: bottom }));
    const tv = L.log ? logTicks(v0, v1) : ticks(v0, v1, 5);
    for (const v of tv) axis.append(svg('text', { x: PAD.left - 12, y: y(v) + 4, 'text-anchor': 'end' }, fmt(v, 3)));
    const name = label(f.metric, this.settings.words);
    // The axis says what it measures (above it) and which way is better (at its foot).
    axis.append(svg('text', { x: 4, y: 12, class: 'axis-name' }, `${name}${L.log ? ' (log scale)' : ''}`));
    axis.append(svg('text', { x: 4, y: bottom + 20, class: 'axis-name' }, 'better ↓'));
    if (unscoredBand) axis.append(svg('text', { x: PAD.left - 12, y: PAD.top + unscoredBand / 2 + 4, 'text-anchor': 'end', class: 'muted-text' }, 'no value'));
    r.append(this.defs(), axis);
    // Escapes that do not get worse, heaviest first when there are too many to draw.
    const edges = [...L.edges].sort((a, b) => b.weight - a.weight).slice(0, MAX_EDGES);
    const maxW = Math.max(1, ...edges.map((e) => e.weight));
    const eg = svg('g', { class: 'funnel-edges' });
    const nodeOf = new Map(L.nodes.map((p) => [p.node.id, p.node]));
    for (const e of edges) {
      const a = this.pos.get(e.source)!;
      const b = this.pos.get(e.target)!;
      const target = nodeOf.get(e.target)!;
      const rb = radius(target) + 2;
      const d = Math.hypot(b[0] - a[0], b[1] - a[1]) || 1;
      const [ex, ey] = [b[0] - ((b[0] - a[0]) * rb) / d, b[1] - ((b[1] - a[1]) * rb) / d];
      eg.append(svg('line', { x1: a[0], y1: a[1], x2: ex, y2: ey, 'stroke-width': (0.6 + 2 * Math.sqrt(e.weight / maxW)).toFixed(2), 'marker-end': 'url(#funnel-arrow)' }));
    }
    r.append(eg);
    // Nodes: worst first so the best sit on top.
    const ng = svg('g', { class: 'funnel-nodes' });
    const byValue = [...L.nodes].sort((p, q) => this.pos.get(p.node.id)![1] - this.pos.get(q.node.id)![1] || p.node.id - q.node.id);
    for (const p of byValue) {
      const n = p.node;
      const [cx, cy] = this.pos.get(n.id)!;
      const rr = radius(n);
      const cls = `funnel-node${n.global ? ' global' : ''}${n.sink && !n.global ? ' sink' : ''}${n.value === undefined ? ' unscored' : n.reaches_global ? ' reach' : ' stuck'}`;
      const shape = n.global
        ? svg('path', { d: `M${cx},${cy - rr - 3}L${cx + rr + 3},${cy}L${cx},${cy + rr + 3}L${cx - rr - 3},${cy}Z` })
        : n.sink
          ? svg('path', { d: `M${cx - rr - 1},${cy - rr + 1}L${cx + rr + 1},${cy - rr + 1}L${cx},${cy + rr + 2}Z` })
          : svg('circle', { cx, cy, r: rr });
      shape.setAttribute('class', cls);
      shape.dataset.id = String(n.id);
      shape.append(svg('title', {}, this.describe(n)));
      shape.addEventListener('pointerenter', () => this.link.hover(n.id));
      shape.addEventListener('pointerleave', () => this.link.hover(null));
      shape.addEventListener('click', () => this.link.pick(n.id));
      ng.append(shape);
    }
    r.append(ng);
    this.labels(L, radius, W);
    r.append(svg('g', { class: 'funnel-cursor' }));
    this.order = [...L.nodes].map((p) => p.node).sort((a, b) => this.pos.get(b.id)![1] - this.pos.get(a.id)![1] || a.id - b.id);
    const drawn = L.nodes.length;
    const hidden = this.settings.showUnscored ? 0 : s.n_unscored_optima;
    this.notes.textContent =
      `${whole(s.n_optima)} local optima with a value` +
      (hidden ? `; ${whole(hidden)} optima without a value are hidden (their cells and all their neighbours have no ${name})` : '') +
      `. ${fmt(100 * s.funnel_share, 3)} % of the optima lie in the global optimum’s funnel.` +
      (L.edges.length > MAX_EDGES ? ` The ${whole(MAX_EDGES)} heaviest of ${whole(L.edges.length)} arrows are drawn.` : '');
    r.setAttribute('aria-label', `Funnel picture of ${name}: ${drawn} optima drawn, ${s.n_global_optima} global, funnel share ${fmt(100 * s.funnel_share, 3)} %`);
    const d = this.frame.root.dataset;
    d.nodes = String(drawn);
    d.hiddenUnscored = String(hidden);
    d.global = f.nodes.filter((n) => n.global).map((n) => n.id).join(',');
    this.highlight(this.link.hovered ?? this.link.picked);
  }

  private defs(): SVGDefsElement {
    const defs = svg('defs');
    const m = svg('marker', { id: 'funnel-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' });
    m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'funnel-arrowhead' }));
    defs.append(m);
    return defs;
  }

  /** Labels where they fit: global optima first, then sinks by basin size. */
  private labels(L: FunnelLayout, radius: (n: FunnelNode) => number, W: number): SVGGElement {
    const g = svg('g', { class: 'funnel-labels' });
    const taken: [number, number, number, number][] = [];
    const candidates = L.nodes
      .map((p) => p.node)
      .filter((n) => n.global || n.sink)
      .sort((a, b) => Number(b.global) - Number(a.global) || b.basin_size - a.basin_size);
    this.root.append(g);
    // Widths come from a canvas in each label class's font, read once: measuring each label in
    // the drawing made the browser lay the page out again per label (tens of ms for hundreds of sinks).
    const width = textWidths(g, ['label-global', 'label-sink']);
    for (const n of candidates) {
      const [cx, cy] = this.pos.get(n.id)!;
      const text = n.global ? `global optimum #${n.id} · test ${fmt(n.test_acc, 4)} %` : `#${n.id}`;
      const cls = n.global ? 'label-global' : 'label-sink';
      const node = svg('text', { x: 0, y: cy + 4, class: cls }, text);
      const w = width(cls, text) || text.length * 7;
      const gap = radius(n) + 7;
      // Right of the node, left of it, below, above: the first place inside the plot that is free.
      const places: [number, number][] = [
        [cx + gap, cy + 4],
        [cx - gap - w, cy + 4],
        [cx - w / 2, cy + gap + 10],
        [cx - w / 2, cy - gap - 2],
      ];
      const free = places.find(([x0, y0]) => {
        const box = [x0, y0 - 12, x0 + w, y0 + 3];
        return x0 >= PAD.left - 4 && x0 + w <= W - 2 && y0 - 12 >= 0 && y0 + 3 <= this.height && !taken.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]);
      });
      if (!free) continue;
      taken.push([free[0], free[1] - 12, free[0] + w, free[1] + 3]);
      node.setAttribute('x', String(free[0]));
      node.setAttribute('y', String(free[1]));
      g.append(node);
    }
    return g;
  }

  private describe(n: FunnelNode): string {
    const f = this.data!;
    return `Optimum #${n.id}: ${label(f.metric, this.settings.words)} ${fmt(n.value)}; basin ${whole(n.basin_size)} cells; test accuracy ${fmt(n.test_acc)} %${n.global ? '; global optimum' : n.sink ? '; funnel bottom' : ''}; ${n.reaches_global ? 'can reach the global optimum' : 'cannot reach the global optimum'} without getting worse.`;
  }

  private highlight(key: number | null) {
    const cur = this.root.querySelector('.funnel-cursor');
    cur?.replaceChildren();
    const p = key === null ? undefined : this.pos.get(key);
    const n = key === null ? undefined : this.layout?.nodes.find((x) => x.node.id === key)?.node;
    if (!p || !n || !cur) return;
    cur.append(svg('circle', { cx: p[0], cy: p[1], r: 16, class: 'funnel-hover' }));
    this.frame.readout.textContent = this.describe(n);
  }
}

let measure: CanvasRenderingContext2D | null = null;

/**
 * A text width function for SVG text of the given classes inside `parent`: each class's font is
 * read once from a probe element, then every width is measured on a canvas.
 */
function textWidths(parent: SVGGElement, classes: string[]): (cls: string, text: string) => number {
  const fonts = new Map<string, string>();
  for (const cls of classes) {
    const probe = svg('text', { class: cls }, 'x');
    parent.append(probe);
    const cs = getComputedStyle(probe);
    fonts.set(cls, `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`);
    probe.remove();
  }
  measure ??= document.createElement('canvas').getContext('2d', CPU_CANVAS);
  return (cls, text) => {
    if (!measure) return 0;
    measure.font = fonts.get(cls) ?? '';
    return measure.measureText(text).width;
  };
}
