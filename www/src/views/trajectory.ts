// Trajectory view: objective and test accuracy of the evaluated, current and best-so-far
// architectures against simulated cost or evaluations, with stage boundaries, rungs and
// escapes marked. Two uPlot canvases (objective above, test accuracy below, cursor and zoom
// shared): uPlot draws tens of thousands of points in a few milliseconds and weighs ~50 KB,
// which keeps the first view light. Exported SVG figures are drawn by ECharts, loaded only then
// (./trajectory-figure.ts).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Trajectory, Point, Mark } from '../models/trajectory';
import { COLORS, PALETTE } from '../config';
import { scale } from '../shell/present';
import { timed } from '../perf';

/** Colours of the objectives' axes and points (Okabe–Ito, best-so-far lines keep COLORS.best). */
const OBJ_COLORS = [PALETTE.blue, PALETTE.skyBlue, PALETTE.purple, PALETTE.orange, PALETTE.green, PALETTE.black];
/** Pixels within which a click or hover picks a point. */
const PICK_PX = 12;

interface Own {
  /** Series label in the legend and the tooltip. */
  label: string;
  /** Its own points, in x order (uPlot gets them aligned on the union of all x). */
  xs: number[];
  ys: number[];
  archs: number[];
  kind: 'points' | 'step' | 'line';
  color: string;
  scale: string;
  /** Whether a click on its points picks an architecture. */
  pickable: boolean;
}

interface Panel {
  el: HTMLElement;
  legend: HTMLElement;
  plot: HTMLElement;
  tip: HTMLElement;
  u: uPlot | null;
  own: Own[];
  marks: { x: number; label: string; dashed: boolean }[];
  escapes: number[];
  structure: string;
}

export class TrajectoryView {
  onPick: (arch: number) => void = () => {};
  private objectives: string[] = ['objective'];
  private forceLayout = true;
  private top: Panel;
  private bottom: Panel;
  private xName = 'simulated cost (s)';
  private syncKey = `trajectory-${Math.random().toString(36).slice(2)}`;

  constructor(topEl: HTMLElement, bottomEl: HTMLElement) {
    this.top = this.panel(topEl);
    this.bottom = this.panel(bottomEl);
    for (const p of [this.top, this.bottom]) {
      const ro = new ResizeObserver(() => this.resize(p));
      ro.observe(p.el);
      ro.observe(p.plot);
    }
  }

  private panel(el: HTMLElement): Panel {
    el.innerHTML = '<ul class="chart-legend" aria-hidden="true"></ul><div class="plot"></div><div class="chart-tip" hidden></div>';
    const p: Panel = {
      el,
      legend: el.querySelector('.chart-legend')!,
      plot: el.querySelector('.plot')!,
      tip: el.querySelector('.chart-tip')!,
      u: null,
      own: [],
      marks: [],
      escapes: [],
      structure: '',
    };
    p.plot.addEventListener('click', (ev) => {
      const hit = this.nearest(p, ev);
      if (hit) this.onPick(hit.arch);
    });
    p.plot.addEventListener('mousemove', (ev) => this.hover(p, ev));
    p.plot.addEventListener('mouseleave', () => (p.tip.hidden = true));
    return p;
  }

  /**
   * A new run: its objectives (announced by the engine) fix the layout, so that redraws
   * during play only replace data. Objectives of one metric at several fidelities (a
   * successive-halving ladder) share one y axis.
   */
  setObjectives(objectives: string[]) {
    this.objectives = objectives.length ? objectives : ['objective'];
    this.forceLayout = true;
  }

  /** Draws `t`: the objective chart now, the test-accuracy chart in the next task. */
  render(t: Trajectory, x: 'cost' | 'evals') {
    const xv = (p: { evals: number; cost: number }) => (x === 'cost' ? p.cost : p.evals);
    this.xName = x === 'cost' ? 'simulated cost (s)' : 'evaluations';
    // An objective the engine did not announce still gets drawn (after a relayout).
    for (const o of [...t.evaluated.keys(), ...t.best.keys()]) {
      if (!this.objectives.includes(o)) this.objectives = [...this.objectives.filter((v) => v !== 'objective'), o];
    }
    const groups = [...new Set(this.objectives.map(metricOf))];
    const upper: Own[] = [];
    this.objectives.forEach((name, k) => {
      const g = groups.indexOf(metricOf(name));
      const color = OBJ_COLORS[(g + k) % OBJ_COLORS.length];
      upper.push(own(`${name} (evaluated)`, t.evaluated.get(name), xv, 'points', color, metricOf(name), true));
      upper.push(own(`${name} (current)`, t.current.get(name), xv, 'step', color, metricOf(name), false));
      upper.push(extend(own(`${name} (best so far)`, t.best.get(name), xv, 'step', COLORS.best, metricOf(name), true), xv(t)));
    });
    const lower: Own[] = [
      own('test acc (evaluated)', t.test, xv, 'points', COLORS.test, 'acc', true),
      extend(own('test acc of best so far', t.bestTest, xv, 'step', COLORS.bestTest, 'acc', true), xv(t)),
    ];
    const marks = [...t.stages.map((m) => mark(m, xv, false)), ...t.rungs.map((m) => mark(m, xv, true))];
    const structure = JSON.stringify([this.objectives, x, scale()]);
    const relayout = this.forceLayout || structure !== this.top.structure;
    this.forceLayout = false;
    timed('trajectory objective', () => this.draw(this.top, upper, marks, [], structure, relayout, groups));
    const escapes = t.escapes.map((m) => xv(m));
    // The test chart gets empty axes where the objective chart has more, so the x axes line up.
    const lowerScales = ['acc', ...groups.slice(1).map(() => '')];
    setTimeout(() => timed('trajectory test', () => this.draw(this.bottom, lower, marks, escapes, structure, relayout, lowerScales)), 0);
  }

  private draw(p: Panel, own: Own[], marks: Panel['marks'], escapes: number[], structure: string, relayout: boolean, scales: string[]) {
    p.own = own;
    p.marks = marks;
    p.escapes = escapes;
    const data = aligned(own);
    if (relayout || !p.u) {
      p.u?.destroy();
      p.structure = structure;
      p.legend.innerHTML = legend(own, p === this.bottom);
      p.u = new uPlot(this.options(p, own, scales), data, p.plot);
      this.resize(p);
    } else {
      p.u.setData(data);
    }
  }

  private options(p: Panel, own: Own[], scales: string[]): uPlot.Options {
    const k = scale();
    const font = `${Math.round(12 * k)}px system-ui, sans-serif`;
    const isTest = p === this.bottom;
    const axisColor = (i: number) => (isTest ? '#334155' : OBJ_COLORS[i % OBJ_COLORS.length]);
    const step = uPlot.paths.stepped!({ align: 1 });
    return {
      width: Math.max(100, p.el.clientWidth),
      height: this.plotHeight(p),
      legend: { show: false },
      cursor: {
        sync: { key: this.syncKey, setSeries: false },
        drag: { x: true, y: false, setScale: true },
        points: { show: false },
      },
      scales: {
        x: { time: false, auto: true, range: (_u, min, max) => [Math.min(0, min ?? 0), max ?? 1] },
        ...Object.fromEntries(scales.filter((s) => s !== '').map((s) => [s, { auto: true }])),
      },
      axes: [
        { scale: 'x', font, labelFont: font, label: isTest ? this.xName : undefined, labelSize: isTest ? 22 * k : 0, values: (_u, vals) => vals.map(compact), stroke: '#334155', grid: { stroke: '#e2e8f0' }, size: 30 * k },
        ...scales.map((s, i) =>
          s === ''
            ? // A spacer, as wide as the other chart's axis on this side.
              { scale: 'acc', side: i % 2 === 0 ? 3 : 1, size: 52 * k, label: ' ', labelSize: 18 * k, stroke: 'transparent', grid: { show: false }, ticks: { show: false }, values: () => [] }
            : {
          scale: s,
          side: i % 2 === 0 ? 3 : 1,
          font,
          labelFont: font,
          label: isTest ? 'test accuracy (%)' : s,
          labelSize: 18 * k,
          stroke: axisColor(i),
          grid: { show: i === 0, stroke: '#e2e8f0' },
          values: (_u: uPlot, vals: number[]) => vals.map(compact),
          size: 52 * k,
        },
        ),
      ],
      series: [
        {},
        ...own.map((s) => ({
          label: s.label,
          scale: s.scale,
          stroke: s.color,
          width: (s.label.endsWith('(current)') ? 1 : 2) * k,
          spanGaps: true,
          paths: s.kind === 'points' ? () => null : s.kind === 'step' ? step : undefined,
          points:
            s.kind === 'points'
              ? { show: true, size: 4 * k, width: 0, fill: withAlpha(s.color, 0.45), stroke: withAlpha(s.color, 0.45) }
              : { show: false },
        })),
      ],
      hooks: {
        draw: [(u) => this.decorate(u, p)],
        setScale: [
          (u, key) => {
            // Zoom on x follows in the other chart.
            if (key !== 'x') return;
            const other = p === this.top ? this.bottom.u : this.top.u;
            const { min, max } = u.scales.x;
            if (other && min !== undefined && max !== undefined && (other.scales.x.min !== min || other.scales.x.max !== max)) other.setScale('x', { min, max });
          },
        ],
      },
    };
  }

  /** Stage and rung boundaries (solid and dashed lines, labelled) and escapes (triangles). */
  private decorate(u: uPlot, p: Panel) {
    const ctx = u.ctx;
    const k = scale() * devicePixelRatio;
    const { top, height, left, width } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    ctx.font = `${Math.round(11 * k)}px system-ui, sans-serif`;
    ctx.fillStyle = COLORS.stage;
    ctx.strokeStyle = COLORS.stage;
    ctx.lineWidth = k;
    let lastLabelEnd = -Infinity;
    let bumped = false;
    for (const m of p.marks) {
      const x = Math.round(u.valToPos(m.x, 'x', true));
      ctx.setLineDash(m.dashed ? [5 * k, 4 * k] : []);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (p === this.top) {
        const label = m.label.replace(/:.*/, '');
        // A label that would overlap the previous one goes one line lower, or is left out.
        const clash = x < lastLabelEnd;
        if (clash && bumped) continue;
        bumped = clash;
        ctx.fillText(label, x + 3 * k, top + 12 * k + (clash ? 13 * k : 0));
        if (!clash) lastLabelEnd = x + 3 * k + ctx.measureText(label).width;
      }
    }
    ctx.setLineDash([]);
    if (p.escapes.length) {
      ctx.fillStyle = COLORS.escape;
      const y = top + height - 2 * k;
      const s = 5 * k;
      for (const e of p.escapes) {
        const x = u.valToPos(e, 'x', true);
        ctx.beginPath();
        ctx.moveTo(x, y - s * 1.6);
        ctx.lineTo(x - s, y);
        ctx.lineTo(x + s, y);
        ctx.closePath();
        ctx.fill();
      }
    }
    ctx.restore();
  }

  /** The plot's height comes from the page's CSS (`.plot` in each layout); the legend sits above it. */
  private plotHeight(p: Panel): number {
    return Math.max(80, p.plot.clientHeight);
  }

  private resize(p: Panel) {
    if (!p.u) return;
    const width = Math.max(100, p.el.clientWidth);
    const height = this.plotHeight(p);
    if (width !== p.u.width || height !== p.u.height) p.u.setSize({ width, height });
  }

  /** The pickable point nearest to the mouse, within PICK_PX. */
  private nearest(p: Panel, ev: MouseEvent): { s: Own; i: number; arch: number } | null {
    const u = p.u;
    if (!u) return null;
    const r = u.over.getBoundingClientRect();
    const mx = ev.clientX - r.left;
    const my = ev.clientY - r.top;
    let best: { s: Own; i: number; arch: number; d: number } | null = null;
    for (const s of p.own) {
      if (!s.pickable || !s.xs.length) continue;
      const xv = u.posToVal(mx, 'x');
      // Binary search the nearest x, then look at a few neighbours (points share x rarely).
      let lo = 0;
      let hi = s.xs.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s.xs[mid] < xv) lo = mid + 1;
        else hi = mid;
      }
      for (let i = Math.max(0, lo - 3); i <= Math.min(s.xs.length - 1, lo + 3); i++) {
        const d = Math.hypot(u.valToPos(s.xs[i], 'x') - mx, u.valToPos(s.ys[i], s.scale) - my);
        if (d <= PICK_PX && (!best || d < best.d)) best = { s, i, arch: s.archs[i], d };
      }
    }
    return best;
  }

  private hover(p: Panel, ev: MouseEvent) {
    const hit = this.nearest(p, ev);
    if (!hit || !p.u) {
      p.tip.hidden = true;
      p.plot.style.cursor = '';
      return;
    }
    p.plot.style.cursor = 'pointer';
    p.tip.hidden = false;
    p.tip.innerHTML = `${hit.s.label}<br>${this.xName}: ${compact(hit.s.xs[hit.i])}<br>value: ${hit.s.ys[hit.i].toFixed(4)}<br>arch #${hit.arch} (click for its cell)`;
    const r = p.el.getBoundingClientRect();
    const left = Math.min(ev.clientX - r.left + 12, r.width - p.tip.offsetWidth - 4);
    p.tip.style.left = `${Math.max(0, left)}px`;
    p.tip.style.top = `${ev.clientY - r.top + 12}px`;
  }

  /**
   * Both charts as one figure: a PNG of the two canvases, or an SVG drawn by ECharts from the
   * same trajectory (loaded now).
   */
  async figure(format: 'svg' | 'png', t: Trajectory, x: 'cost' | 'evals'): Promise<string> {
    const w = this.top.el.clientWidth;
    const h1 = this.top.el.clientHeight;
    const h2 = this.bottom.el.clientHeight;
    if (format === 'svg') {
      const { trajectorySvg } = await import('./trajectory-figure');
      return trajectorySvg(t, x, this.objectives, w, h1, h2);
    }
    const canvases = [this.top.u, this.bottom.u].map((u) => u?.ctx.canvas).filter((c): c is HTMLCanvasElement => !!c);
    const out = document.createElement('canvas');
    out.width = Math.max(...canvases.map((c) => c.width));
    out.height = canvases.reduce((a, c) => a + c.height, 0);
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    let y = 0;
    for (const c of canvases) {
      ctx.drawImage(c, 0, y);
      y += c.height;
    }
    return out.toDataURL('image/png');
  }
}

function own(label: string, points: Point[] | undefined, xv: (p: Point) => number, kind: Own['kind'], color: string, scaleKey: string, pickable: boolean): Own {
  // A point without a value (a proxy the table lacks for that architecture) is not drawn.
  const list = (points ?? []).filter((p) => Number.isFinite(p.value));
  return { label, xs: list.map(xv), ys: list.map((p) => p.value), archs: list.map((p) => p.arch), kind, color, scale: scaleKey, pickable };
}

/** uPlot's aligned data: the union of every series' x, and each series' y there (null elsewhere). */
function aligned(own: Own[]): uPlot.AlignedData {
  const all = new Set<number>();
  for (const s of own) for (const x of s.xs) all.add(x);
  const xs = Float64Array.from(all).sort();
  const index = new Map<number, number>();
  xs.forEach((x, i) => index.set(x, i));
  const ys = own.map((s) => {
    const y: (number | null)[] = new Array(xs.length).fill(null);
    for (let i = 0; i < s.xs.length; i++) y[index.get(s.xs[i])!] = s.ys[i];
    return y;
  });
  return [Array.from(xs), ...ys] as uPlot.AlignedData;
}

function legend(own: Own[], withEscapes: boolean): string {
  const item = (s: { label: string; kind: string; color: string }) => {
    const mark =
      s.kind === 'points'
        ? `<circle cx="9" cy="6" r="4" fill="${withAlpha(s.color, 0.6)}"/>`
        : s.kind === 'escape'
          ? `<path d="M4,10 L9,2 L14,10 z" fill="${s.color}"/>`
          : `<path d="M1,9 H8 V3 H17" fill="none" stroke="${s.color}" stroke-width="${s.label.endsWith('(current)') ? 1 : 2.5}"/>`;
    return `<li><svg width="18" height="12" viewBox="0 0 18 12">${mark}</svg>${s.label}</li>`;
  };
  // The current solution's line is drawn but not listed: it reads as the points' own trail.
  const items = own.filter((s) => !s.label.endsWith('(current)')).map(item);
  if (withEscapes) items.push(item({ label: 'escapes', kind: 'escape', color: COLORS.escape }));
  return items.join('');
}

function metricOf(objective: string): string {
  return objective.split('@')[0];
}

/** Extends a best-so-far step line to the current x, so it reads as "still the best". */
function extend(s: Own, x: number): Own {
  const n = s.xs.length;
  if (n && x > s.xs[n - 1]) {
    s.xs.push(x);
    s.ys.push(s.ys[n - 1]);
    s.archs.push(s.archs[n - 1]);
  }
  return s;
}

function mark(m: Mark, xv: (m: Mark) => number, dashed: boolean) {
  return { x: xv(m), label: m.label, dashed };
}

function withAlpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(1);
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  return String(Math.round(v * 1000) / 1000);
}
