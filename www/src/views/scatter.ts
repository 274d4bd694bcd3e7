// The proxy against test accuracy, one point per cell (canvas), with each metric's best 1 %
// marked by shape (the paper's Fig. 3 overlap, as the engine counts it), threshold lines at
// the engine's top-1 % values, and the hovered cell linked with the map.
import type { SpaceMap } from '../types';
import { type Words, label } from '../models/glossary';
import { CPU_CANVAS, el, fmt, frame, logTicks, svg, ticks, whole, type FigureFrame } from './figure';
import type { Link } from './link';

export interface ScatterSettings {
  words: Words;
  /** The proxy axis: its values (log scale when they span over three decades) or its ranks. */
  x: 'value' | 'rank';
}

export const SCATTER_TEXT = {
  caption: 'Each dot is a cell: how it scores on the proxy (across) against its real test accuracy (up).',
  explain: `<p>If the proxy were perfect the dots would rise in a thin line from left to right. ▲ marks the
    <dfn data-term="top 1%">best 1 %</dfn> of cells by test accuracy, ■ the best 1 % by the proxy, ★
    cells in both. The dashed lines are the two thresholds. A proxy can agree with test accuracy on
    average (<dfn data-term="spearman">rank agreement</dfn>) and still pick few of the very best cells:
    that is where a search guided by it alone goes wrong.</p>`,
};

const M = { left: 58, right: 12, top: 12, bottom: 44 };

export class ScatterFigure {
  readonly frame: FigureFrame;
  private proxy: SpaceMap | null = null;
  private test: SpaceMap | null = null;
  private canvas: HTMLCanvasElement;
  private overlay: SVGSVGElement;
  private cursor: SVGGElement;
  private stats: HTMLElement;
  /** The drawn cells: their ids and where they are on the canvas (CSS pixels). */
  private points = { keys: new Float64Array(0), px: new Float32Array(0), py: new Float32Array(0) };
  private project: ((key: number) => [number, number] | null) | null = null;

  constructor(
    container: HTMLElement,
    private link: Link,
    private settings: ScatterSettings,
  ) {
    this.frame = frame(container, 'scatter', SCATTER_TEXT);
    const stack = el('div', { class: 'scatter-stack' });
    this.canvas = el('canvas', { class: 'scatter-canvas', 'aria-hidden': 'true' });
    this.overlay = svg('svg', { class: 'scatter-overlay', role: 'img' });
    this.cursor = svg('g', { class: 'scatter-cursor' });
    stack.append(this.canvas, this.overlay);
    this.stats = el('p', { class: 'scatter-stats' });
    const xSel = el('select', { 'aria-label': 'Proxy axis' });
    for (const [v, t] of [['value', 'proxy value'], ['rank', 'proxy rank']]) {
      const o = el('option', { value: v }, t);
      if (v === settings.x) o.selected = true;
      xSel.append(o);
    }
    xSel.onchange = () => this.configure({ x: xSel.value as ScatterSettings['x'] });
    const xLabel = el('label', { class: 'inline' });
    xLabel.append(document.createTextNode('across: '), xSel);
    this.frame.body.append(stack, this.stats, xLabel);
    new ResizeObserver(() => this.draw()).observe(stack);
    stack.addEventListener('pointermove', (ev) => this.link.hover(this.nearest(ev)));
    stack.addEventListener('pointerleave', () => this.link.hover(null));
    stack.addEventListener('click', (ev) => this.link.pick(this.nearest(ev)));
    link.on((h, p) => this.showCursor(h ?? p));
  }

  /** The proxy's map and test accuracy's map (the engine's, for the same table). */
  setData(proxy: SpaceMap, test: SpaceMap) {
    this.proxy = proxy;
    this.test = test;
    this.draw();
  }

  configure(s: Partial<ScatterSettings>) {
    this.settings = { ...this.settings, ...s };
    this.draw();
  }

  private draw() {
    const { proxy, test } = this;
    const stack = this.canvas.parentElement!;
    const W = stack.clientWidth;
    const H = stack.clientHeight;
    if (!proxy || !test || W < 50 || H < 50) return;
    const dpr = globalThis.devicePixelRatio || 1;
    this.canvas.width = Math.round(W * dpr);
    this.canvas.height = Math.round(H * dpr);
    this.overlay.setAttribute('viewBox', `0 0 ${W} ${H}`);
    const ctx = this.canvas.getContext('2d', CPU_CANVAS);
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const byRank = this.settings.x === 'rank';
    // Plain loops over the 15,625 cells into typed arrays: nothing allocated per cell (the
    // garbage collector's pauses were part of this task).
    const xOf = byRank ? proxy.rank : proxy.values;
    // Where test accuracy's map lists the cells in the proxy's order (the engine's maps all
    // do), a cell is the same index in both; otherwise it is looked up by id.
    const testAt = sameOrder(proxy.ids, test.ids) ? null : new Map(test.ids.map((k, c) => [k, c]));
    const testCell = (c: number, k: number) => (testAt ? testAt.get(k) : c);
    const n = proxy.ids.length;
    const xs = new Float64Array(n);
    const ys = new Float64Array(n);
    const keys = new Float64Array(n);
    let m = 0;
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let c = 0; c < n; c++) {
      const k = proxy.ids[c];
      const xv = xOf[c];
      const tc = testCell(c, k);
      const yv = tc === undefined ? undefined : test.values[tc];
      if (xv === undefined || xv === null || yv === undefined || yv === null) continue;
      xs[m] = xv;
      ys[m] = yv;
      keys[m] = k;
      m++;
      if (xv < x0) x0 = xv;
      if (xv > x1) x1 = xv;
      if (yv < y0) y0 = yv;
      if (yv > y1) y1 = yv;
    }
    if (!m) {
      this.stats.textContent = `No cell has both a ${label(proxy.metric, this.settings.words)} and a test accuracy.`;
      return;
    }
    const log = !byRank && x0 > 0 && x1 / x0 > 1000;
    // Ranks run best first: draw the best on the right, as for values.
    const [lx0, lspan] = [Math.log10(x0), Math.log10(x1) - Math.log10(x0) || 1];
    const fx = byRank ? (v: number) => 1 - v / Math.max(1, x1) : log ? (v: number) => (Math.log10(v) - lx0) / lspan : (v: number) => (v - x0) / (x1 - x0 || 1);
    const sx = (v: number) => M.left + fx(v) * (W - M.left - M.right);
    const sy = (v: number) => H - M.bottom - ((v - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
    const proxyTop = new Set(proxy.top.map((c) => proxy.ids[c]));
    const testTop = new Set(test.top.map((c) => test.ids[c]));
    this.points = { keys: keys.subarray(0, m), px: new Float32Array(m), py: new Float32Array(m) };
    const special: { x: number; y: number; kind: 'test' | 'proxy' | 'both' }[] = [];
    // Plain points are counted per device pixel and written in one go, as 2-pixel squares of
    // a translucent slate blended over each other (dense regions darker), which is what a
    // fillRect per point drew: 15,000 canvas calls each time the map was drawn.
    const dots = new Dots(this.canvas.width, this.canvas.height, dpr);
    for (let i = 0; i < m; i++) {
      const px = sx(xs[i]);
      const py = sy(ys[i]);
      this.points.px[i] = px;
      this.points.py[i] = py;
      const inP = proxyTop.has(keys[i]);
      const inT = testTop.has(keys[i]);
      if (inP || inT) special.push({ x: px, y: py, kind: inP && inT ? 'both' : inT ? 'test' : 'proxy' });
      else dots.add(px, py);
    }
    dots.paint(ctx, [71, 85, 105], 0.28);
    for (const s of special) drawMark(ctx, s.x, s.y, s.kind);
    const key = (k: number) => {
      const pc = proxy.ids.indexOf(k);
      const c = pc < 0 ? undefined : testCell(pc, k);
      if (c === undefined) return null;
      const xv = byRank ? proxy.rank[pc] : proxy.values[pc];
      const yv = test.values[c];
      return xv === undefined || xv === null || yv === undefined || yv === null ? null : ([sx(xv), sy(yv)] as [number, number]);
    };
    this.project = key;
    // Axes, ticks and the two top-1 % thresholds (the engine's values).
    const o = this.overlay;
    o.replaceChildren();
    const axes = svg('g', { class: 'axes' });
    axes.append(svg('line', { x1: M.left, y1: H - M.bottom, x2: W - M.right, y2: H - M.bottom }), svg('line', { x1: M.left, y1: M.top, x2: M.left, y2: H - M.bottom }));
    for (const v of ticks(y0, y1, 5)) axes.append(svg('text', { x: M.left - 6, y: sy(v) + 4, 'text-anchor': 'end' }, fmt(v, 3)));
    const xt = byRank ? ticks(0, x1, 5) : log ? logTicks(x0, x1) : ticks(x0, x1, 5);
    for (const v of xt) axes.append(svg('text', { x: sx(v), y: H - M.bottom + 16, 'text-anchor': 'middle' }, byRank ? whole(v + 1) : fmt(v, 2)));
    axes.append(
      svg('text', { x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'axis-name' }, `${label(proxy.metric, this.settings.words)}${byRank ? ' (rank, best on the right)' : log ? ' (log scale)' : ''} →`),
      svg('text', { x: 14, y: (M.top + H - M.bottom) / 2, transform: `rotate(-90 14 ${(M.top + H - M.bottom) / 2})`, 'text-anchor': 'middle', class: 'axis-name' }, `${label(test.metric, this.settings.words)} →`),
    );
    const testThreshold = test.summary.top1_test_threshold ?? (test.top.length ? test.values[test.top[test.top.length - 1]] : undefined);
    const lastTop = proxy.top[proxy.top.length - 1];
    const proxyThreshold = lastTop === undefined ? undefined : byRank ? proxy.rank[lastTop] : proxy.values[lastTop];
    if (testThreshold !== undefined && testThreshold !== null) axes.append(svg('line', { x1: M.left, x2: W - M.right, y1: sy(testThreshold), y2: sy(testThreshold), class: 'threshold' }));
    if (proxyThreshold !== undefined && proxyThreshold !== null) axes.append(svg('line', { x1: sx(proxyThreshold), x2: sx(proxyThreshold), y1: M.top, y2: H - M.bottom, class: 'threshold' }));
    o.append(axes, this.cursor);
    o.setAttribute('aria-label', `${m} cells: ${label(proxy.metric, this.settings.words)} against ${label(test.metric, this.settings.words)}`);
    const s = proxy.summary;
    this.stats.replaceChildren(
      el('span', {}, `${whole(m)} cells with both values · `),
      el('dfn', { 'data-term': 'top 1%' }, 'best 1 %'),
      el('span', { class: 'num', 'data-overlap': String(s.top1_overlap) }, `: ${whole(s.top1_overlap)} of test accuracy’s ${whole(s.top1_k)} are among the proxy’s ${whole(s.top1_k)} (★) · `),
      el('dfn', { 'data-term': 'spearman' }, label('spearman', this.settings.words)),
      el('span', { class: 'num' }, ` ${fmt(s.spearman, 3)}`),
    );
    this.frame.root.dataset.points = String(m);
    this.frame.root.dataset.overlap = String(s.top1_overlap);
    this.showCursor(this.link.hovered ?? this.link.picked);
  }

  private nearest(ev: PointerEvent | MouseEvent): number | null {
    const r = this.canvas.getBoundingClientRect();
    const [x, y] = [ev.clientX - r.left, ev.clientY - r.top];
    let best: number | null = null;
    let bd = 64;
    const { keys, px, py } = this.points;
    for (let i = 0; i < keys.length; i++) {
      const d = (px[i] - x) ** 2 + (py[i] - y) ** 2;
      if (d < bd) {
        bd = d;
        best = keys[i];
      }
    }
    return best;
  }

  private showCursor(key: number | null) {
    this.cursor.replaceChildren();
    const q = key === null ? null : this.project?.(key);
    if (!q || !this.proxy || !this.test) return;
    this.cursor.append(svg('circle', { cx: q[0], cy: q[1], r: 7, class: 'scatter-hover' }));
    const pc = this.proxy.ids.indexOf(key!);
    const tc = this.test.ids.indexOf(key!);
    this.frame.readout.textContent = `Cell #${key}: ${label(this.proxy.metric, this.settings.words)} ${fmt(this.proxy.values[pc])}, ${label(this.test.metric, this.settings.words)} ${fmt(this.test.values[tc])}.`;
  }
}

/** Whether two maps list the same cells in the same order. */
function sameOrder(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function drawMark(ctx: CanvasRenderingContext2D, x: number, y: number, kind: 'test' | 'proxy' | 'both') {
  ctx.beginPath();
  if (kind === 'test') {
    ctx.moveTo(x, y - 5);
    ctx.lineTo(x + 4.5, y + 3.5);
    ctx.lineTo(x - 4.5, y + 3.5);
    ctx.closePath();
    ctx.fillStyle = '#0072b2';
    ctx.fill();
  } else if (kind === 'proxy') {
    ctx.rect(x - 3.5, y - 3.5, 7, 7);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = '#d55e00';
    ctx.stroke();
  } else {
    for (let i = 0; i < 10; i++) {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const r = i % 2 ? 2.6 : 6.5;
      const [px, py] = [x + r * Math.cos(a), y + r * Math.sin(a)];
      if (i === 0) ctx.moveTo(px, py);
      else ctx.lineTo(px, py);
    }
    ctx.closePath();
    ctx.fillStyle = '#cc79a7';
    ctx.fill();
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 0.8;
    ctx.stroke();
  }
}

/** Square dots counted per device pixel, then painted as that many layers of one translucent colour. */
class Dots {
  private counts: Uint16Array;
  private side: number;

  constructor(
    private width: number,
    private height: number,
    private dpr: number,
  ) {
    this.counts = new Uint16Array(width * height);
    this.side = Math.max(1, Math.round(2 * dpr));
  }

  /** A 2 × 2 (CSS pixels) dot centred on (x, y). */
  add(x: number, y: number) {
    const x0 = Math.round((x - 1) * this.dpr);
    const y0 = Math.round((y - 1) * this.dpr);
    for (let dy = 0; dy < this.side; dy++) {
      const row = y0 + dy;
      if (row < 0 || row >= this.height) continue;
      for (let dx = 0; dx < this.side; dx++) {
        const col = x0 + dx;
        if (col >= 0 && col < this.width && this.counts[row * this.width + col] < 0xffff) this.counts[row * this.width + col]++;
      }
    }
  }

  /** Writes the dots: n layers of `alpha` over nothing have alpha 1 − (1 − alpha)^n. */
  paint(ctx: CanvasRenderingContext2D, rgb: [number, number, number], alpha: number) {
    const img = ctx.createImageData(this.width, this.height);
    // One 32-bit write per covered pixel: the pixel's bytes R, G, B, A packed in the
    // machine's byte order.
    const pixels = new Uint32Array(img.data.buffer);
    const bytes = new Uint8Array(4);
    const word = new Uint32Array(bytes.buffer);
    const lut = Uint32Array.from({ length: 64 }, (_, n) => {
      bytes.set([rgb[0], rgb[1], rgb[2], Math.round(255 * (1 - Math.pow(1 - alpha, n)))]);
      return word[0];
    });
    bytes.set([rgb[0], rgb[1], rgb[2], 255]);
    const opaque = word[0];
    const counts = this.counts;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i];
      if (n !== 0) pixels[i] = n < 64 ? lut[n] : opaque;
    }
    ctx.putImageData(img, 0, 0);
  }
}
