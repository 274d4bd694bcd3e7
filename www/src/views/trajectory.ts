// Trajectory view: what the search sees (the objective of every evaluation, the current
// solution and one best-so-far line) above, and the test accuracy of the evaluations and of the
// answer so far below. A two-stage run (MF-NAS) gets one column per stage, each with its own x
// axis: stage 1 by proxy evaluations, stage 2 by simulated seconds, so neither is squeezed into
// a sliver. A second run (another algorithm or seed) is overlaid dashed: in the same columns when
// it has the same stages, otherwise both runs' answers share one simulated-time axis below.
// uPlot canvases (cursor and zoom shared down each column): uPlot draws tens of thousands of
// points in a few milliseconds and weighs ~50 KB, which keeps the first view light. Exported SVG
// figures are drawn by ECharts, loaded only then (./trajectory-figure.ts).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Trajectory, Point, Mark } from '../models/trajectory';
import { COLORS, PALETTE } from '../config';
import { scale } from '../shell/present';
import { timed } from '../perf';
import { type Words, label as wording } from '../models/glossary';
import { aligned } from './aligned';
import './figures.css';

/** Colours of the objectives' axes and points (Okabe–Ito, best-so-far lines keep COLORS.best). */
const OBJ_COLORS = [PALETTE.blue, PALETTE.skyBlue, PALETTE.purple, PALETTE.orange, PALETTE.green, PALETTE.black];
/** The second run's lines. */
const B_COLOR = '#000000';
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
  /** Drawn dashed (the second run). */
  dashed?: boolean;
  /** Drawn but not listed in the legend (the current solution's trail). */
  unlisted?: boolean;
}

/** One column of the charts: which points it holds and how it places them. */
interface Column {
  id: string;
  /** The stage whose points it holds; null for all. */
  stage: number | null;
  /** The x axis's name. */
  xName: string;
  /** A heading above the column (stage columns). */
  title: string;
  x: (p: { evals: number; cost: number }) => number;
  /** Whether x starts at 0 (else at the column's first point) and whether it is logarithmic. */
  fromZero: boolean;
  log: boolean;
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
  column: Column;
  isTest: boolean;
  /** The panel sharing its x axis (the other row of the column). */
  partner: Panel | null;
}

/** What one panel shows: its series, boundary marks and escape lines. */
type Drawn = { own: Own[]; marks: Panel['marks']; escapes: number[] };

/** The run drawn beside the live one. */
export interface Overlay {
  name: string;
  trajectory: Trajectory;
}

export class TrajectoryView {
  onPick: (arch: number) => void = () => {};
  private objectives: string[] = ['objective'];
  private staged = false;
  private words: Words = 'plain';
  private overlay: Overlay | null = null;
  private forceLayout = true;
  private layoutKey = '';
  private top: Panel[] = [];
  private bottom: Panel[] = [];
  /** Renders so far: work left for later tasks by an older render is dropped. */
  private renders = 0;

  constructor(
    private topEl: HTMLElement,
    private bottomEl: HTMLElement,
  ) {
    for (const el of [topEl, bottomEl]) new ResizeObserver(() => [...this.top, ...this.bottom].forEach((p) => this.resize(p))).observe(el);
  }

  /**
   * A new run: its objectives (announced by the engine) and whether it has stages fix the
   * layout, so that redraws during play only replace data.
   */
  setObjectives(objectives: string[], staged = this.staged) {
    this.objectives = objectives.length ? objectives : ['objective'];
    this.staged = staged;
    this.forceLayout = true;
  }

  /** Plain or exact labels. */
  setWords(words: Words) {
    this.words = words;
    this.forceLayout = true;
  }

  /** A run to draw beside the live one (null: none). */
  setOverlay(o: Overlay | null) {
    this.overlay = o;
    this.forceLayout = true;
  }

  /** Draws `t`: the objective charts now, the test-accuracy charts in the next task. */
  render(t: Trajectory, x: 'cost' | 'evals') {
    // An objective the engine did not announce still gets drawn (after a relayout).
    for (const o of [...t.evaluated.keys(), ...t.best.keys()]) {
      if (!this.objectives.includes(o)) this.objectives = [...this.objectives.filter((v) => v !== 'objective'), o];
    }
    const b = this.overlay?.trajectory ?? null;
    const staged = this.staged || t.stages.length > 0;
    const columns = staged ? stageColumns() : [x === 'cost' ? costColumn(false) : evalsColumn()];
    // The second run shares the columns when it has the same stages, else one time axis below.
    const bSame = b !== null && (b.stages.length > 0) === staged;
    const lowerColumns = b && !bSame ? [costColumn(true)] : columns;
    const key = JSON.stringify([this.objectives, columns.map((c) => c.id), lowerColumns.map((c) => c.id), this.words, this.overlay?.name ?? null, scale()]);
    if (this.forceLayout || key !== this.layoutKey) {
      this.layoutKey = key;
      this.forceLayout = false;
      this.top = this.build(this.topEl, columns, false);
      this.bottom = this.build(this.bottomEl, lowerColumns, true);
      this.top.forEach((p, i) => (p.partner = this.bottom.length === this.top.length ? this.bottom[i] : null));
      this.bottom.forEach((p, i) => (p.partner = this.bottom.length === this.top.length ? this.top[i] : null));
    }
    const gen = ++this.renders;
    this.drawRow('trajectory objective', this.top, (p) => this.upper(t, b && bSame ? b : null, p.column), gen);
    setTimeout(() => gen === this.renders && this.drawRow('trajectory test', this.bottom, (p) => this.lower(t, b, p.column), gen), 0);
  }

  /**
   * Draws a row's panels, one per task: creating a chart costs tens of milliseconds (it lays out
   * the page), and redrawing one that holds a whole MF-NAS run 10-20 ms, so a figure of two
   * columns never blocks the page for long. A later render supersedes what this one left to do.
   */
  private drawRow(what: string, panels: Panel[], data: (p: Panel) => Drawn, gen: number) {
    const [first, ...rest] = panels;
    if (!first) return;
    timed(what, () => this.draw(first, data(first)));
    if (rest.length) setTimeout(() => gen === this.renders && this.drawRow(what, rest, data, gen), 0);
  }

  /** The objective chart's series in one column: per objective its points and current trail, then one best-so-far line. */
  private upper(t: Trajectory, b: Trajectory | null, c: Column): Drawn {
    const own: Own[] = [];
    const names = this.objectives.filter((o) => holds(c, o));
    const groups = [...new Set(names.map(metricOf))];
    names.forEach((name, k) => {
      const g = groups.indexOf(metricOf(name));
      const color = OBJ_COLORS[(g + k + (c.stage === 2 ? 2 : 0)) % OBJ_COLORS.length];
      own.push(series(`${wording(name, this.words)} (evaluated)`, inColumn(c, t.evaluated.get(name)), c, 'points', color, metricOf(name), true));
      own.push({ ...series(`${name} (current)`, inColumn(c, t.current.get(name)), c, 'step', color, metricOf(name), false), unlisted: true });
    });
    const firstScale = metricOf(names[0] ?? 'objective');
    own.push(extend(series(wording('best so far', this.words), bestPoints(t, c), c, 'step', COLORS.best, firstScale, true), t, c));
    if (b) own.push({ ...extend(series(`${wording('best so far', this.words)}: ${this.overlay!.name}`, bestPoints(b, c), c, 'step', B_COLOR, firstScale, true), b, c), dashed: true });
    return { own, marks: marksIn(t, c, this.words), escapes: [] };
  }

  /** The test chart's series in one column: test accuracy of the evaluations and of the answer so far (and the second run's). */
  private lower(t: Trajectory, b: Trajectory | null, c: Column): Drawn {
    const own: Own[] = [
      series(`${wording('test accuracy', this.words)} (evaluated)`, inColumn(c, t.test), c, 'points', COLORS.test, 'acc', true),
      extend(series(wording('answer so far', this.words), inColumn(c, t.bestTest), c, 'step', COLORS.bestTest, 'acc', true), t, c),
    ];
    if (b) own.push({ ...extend(series(`${wording('answer so far', this.words)}: ${this.overlay!.name}`, inColumn(c, b.bestTest), c, 'step', B_COLOR, 'acc', true), b, c), dashed: true });
    return { own, marks: marksIn(t, c, this.words), escapes: t.escapes.filter((m) => inStage(c, m)).map((m) => c.x(m)) };
  }

  /** The panels of one row: a column each, side by side. */
  private build(el: HTMLElement, columns: Column[], isTest: boolean): Panel[] {
    for (const p of isTest ? this.bottom : this.top) p.u?.destroy();
    el.replaceChildren();
    el.classList.toggle('columns', columns.length > 1);
    return columns.map((column) => {
      const box = document.createElement('div');
      box.className = 'traj-col';
      box.dataset.column = column.id;
      box.innerHTML = `${!isTest && column.title ? `<p class="traj-title">${column.title}</p>` : ''}<ul class="chart-legend" aria-hidden="true"></ul><div class="plot"></div><p class="traj-empty" hidden></p><div class="chart-tip" hidden></div>`;
      el.append(box);
      const p: Panel = {
        el: box,
        legend: box.querySelector('.chart-legend')!,
        plot: box.querySelector('.plot')!,
        tip: box.querySelector('.chart-tip')!,
        u: null,
        own: [],
        marks: [],
        escapes: [],
        column,
        isTest,
        partner: null,
      };
      p.plot.addEventListener('click', (ev) => {
        const hit = this.nearest(p, ev);
        if (hit) this.onPick(hit.arch);
      });
      p.plot.addEventListener('mousemove', (ev) => this.hover(p, ev));
      p.plot.addEventListener('mouseleave', () => (p.tip.hidden = true));
      return p;
    });
  }

  private draw(p: Panel, d: Drawn) {
    // A stage that has not begun says so instead of showing empty axes.
    const empty = p.el.querySelector<HTMLElement>('.traj-empty')!;
    const waiting = p.column.stage === 2 && d.own.every((s) => s.xs.length === 0);
    empty.hidden = !waiting;
    empty.textContent = waiting ? (p.isTest ? 'The test accuracy of stage 2’s candidates appears here.' : 'Stage 2 begins once stage 1 has made its proxy evaluations: the best cells are then trained.') : '';
    p.own = d.own;
    p.marks = d.marks;
    p.escapes = d.escapes;
    const data = aligned(d.own);
    if (!p.u) {
      p.legend.innerHTML = legend(d.own, p.isTest);
      const scales = p.isTest ? ['acc'] : [...new Set(d.own.map((s) => s.scale))];
      p.u = new uPlot(this.options(p, d.own, scales), data, p.plot);
      this.resize(p);
    } else {
      p.u.setData(data);
    }
  }

  private options(p: Panel, own: Own[], scales: string[]): uPlot.Options {
    const k = scale();
    const font = `${Math.round(12 * k)}px system-ui, sans-serif`;
    const isTest = p.isTest;
    const axisColor = (i: number) => (isTest ? '#334155' : OBJ_COLORS[i % OBJ_COLORS.length]);
    const step = uPlot.paths.stepped!({ align: 1 });
    const c = p.column;
    const axisLabel = (s: string) => (isTest ? 'test acc. (%)' : s.startsWith('zc:') ? wording(s, this.words) : wording(s, this.words).replace(/ after .*$/, ''));
    return {
      width: Math.max(100, p.el.clientWidth),
      height: this.plotHeight(p),
      legend: { show: false },
      cursor: {
        sync: { key: `${this.layoutKey}:${c.id}`, setSeries: false },
        drag: { x: true, y: false, setScale: true },
        points: { show: false },
      },
      scales: {
        x: c.log ? { time: false, distr: 3 } : { time: false, auto: true, range: (_u, min, max) => [c.fromZero ? Math.min(0, min ?? 0) : (min ?? 0), max ?? 1] },
        ...Object.fromEntries(scales.map((s) => [s, { auto: true }])),
      },
      axes: [
        {
          scale: 'x',
          font,
          labelFont: font,
          label: isTest || !c.title ? c.xName : undefined,
          labelSize: isTest || !c.title ? 22 * k : 0,
          // A log axis labels its powers of ten only (its other ticks are grid lines), and
          // nothing at or below 0, where it has no position (log10 gives -Infinity, not a power).
          values: (_u, vals) => vals.map((v) => (c.log && !(v > 0 && Math.abs(Math.log10(v) - Math.round(Math.log10(v))) <= 1e-9) ? '' : compact(v))),
          stroke: '#334155',
          grid: { stroke: '#e2e8f0' },
          size: 30 * k,
        },
        ...scales.map((s, i) => ({
          scale: s,
          side: i % 2 === 0 ? 3 : 1,
          font,
          labelFont: font,
          label: axisLabel(s),
          labelSize: 18 * k,
          stroke: axisColor(i),
          grid: { show: i === 0, stroke: '#e2e8f0' },
          values: (_u: uPlot, vals: number[]) => vals.map(compact),
          // Short rows (the test accuracy's, a projector's) still get more than one tick.
          space: (isTest ? 16 : 24) * k,
          size: 52 * k,
        })),
      ],
      series: [
        {},
        ...own.map((s) => ({
          label: s.label,
          scale: s.scale,
          stroke: s.color,
          width: (s.unlisted ? 1 : 2) * k,
          dash: s.dashed ? [6 * k, 4 * k] : undefined,
          spanGaps: true,
          paths: s.kind === 'points' ? () => null : s.kind === 'step' ? step : undefined,
          points:
            s.kind === 'points'
              ? { show: true, size: 4 * k, width: 0, fill: withAlpha(s.color, 0.45), stroke: withAlpha(s.color, 0.45), paths: densePoints }
              : { show: false },
        })),
      ],
      hooks: {
        draw: [(u) => this.decorate(u, p)],
        setScale: [
          (u, key) => {
            // Zoom on x follows in the other row of the column.
            const other = p.partner?.u;
            if (key !== 'x' || !other) return;
            const { min, max } = u.scales.x;
            if (min !== undefined && max !== undefined && (other.scales.x.min !== min || other.scales.x.max !== max)) other.setScale('x', { min, max });
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
    // uPlot leaves the alignment of its last axis label on the context.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
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
      if (!p.isTest) {
        // A label that would overlap the previous one goes one line lower, or is left out.
        const clash = x < lastLabelEnd;
        if (clash && bumped) continue;
        bumped = clash;
        const w = ctx.measureText(m.label).width;
        // Right of its line, or left of it where the plot ends first.
        const lx = Math.max(left + 2 * k, x + 3 * k + w > left + width ? x - 3 * k - w : x + 3 * k);
        const ly = top + 12 * k + (clash ? 13 * k : 0);
        // A light backing keeps the label readable where a line of the plot crosses it.
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(lx - 2 * k, ly - 10 * k, w + 4 * k, 13 * k);
        ctx.fillStyle = COLORS.stage;
        ctx.fillText(m.label, lx, ly);
        if (!clash) lastLabelEnd = Math.max(lx, x + 3 * k) + w;
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
    p.tip.innerHTML = `${hit.s.label}<br>${p.column.xName}: ${compact(hit.s.xs[hit.i])}<br>value: ${hit.s.ys[hit.i].toFixed(4)}<br>cell #${hit.arch} (click for its cell)`;
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
    const w = this.topEl.clientWidth;
    const h1 = this.topEl.clientHeight;
    const h2 = this.bottomEl.clientHeight;
    if (format === 'svg') {
      const { trajectorySvg } = await import('./trajectory-figure');
      return trajectorySvg(t, x, this.objectives, w, h1, h2);
    }
    // The PNG is the canvases as laid out: columns side by side, the test row below.
    const out = document.createElement('canvas');
    const dpr = devicePixelRatio;
    out.width = Math.round(w * dpr);
    out.height = Math.round((h1 + h2) * dpr);
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, out.width, out.height);
    const origin = this.topEl.getBoundingClientRect();
    for (const p of [...this.top, ...this.bottom]) {
      const c = p.u?.ctx.canvas;
      if (!c) continue;
      const r = c.getBoundingClientRect();
      ctx.drawImage(c, Math.round((r.left - origin.left) * dpr), Math.round((r.top - origin.top) * dpr));
    }
    return out.toDataURL('image/png');
  }
}

function series(label: string, points: Point[], c: Column, kind: Own['kind'], color: string, scaleKey: string, pickable: boolean): Own {
  // A point without a value (a proxy the table lacks for that architecture) is not drawn; a log axis has no 0.
  const list = points.filter((p) => Number.isFinite(p.value) && (!c.log || c.x(p) > 0));
  return { label, xs: list.map(c.x), ys: list.map((p) => p.value), archs: list.map((p) => p.arch), kind, color, scale: scaleKey, pickable };
}

/** Above this many points to draw (distinct pixels), a series' points are squares (see densePoints). */
const DENSE_POINTS = 3_000;

/**
 * uPlot's points, each pixel's point added to the path once, and as a square of a circle's area
 * when there are many. A long run's series holds up to SERIES_CAP points; its points are one
 * path filled once (the union of its shapes, so a repeated shape adds nothing to the picture),
 * and building and filling 20,000 circles was most of such a run's redraw. At 4 px a square and
 * a circle look alike; the runs of a lesson (MF-NAS's 2,000 proxy evaluations, a local search
 * of a few hundred) keep their circles.
 */
const densePoints: uPlot.Series.Points.PathBuilder = (u, seriesIdx, idx0, idx1) => {
  const s = u.series[seriesIdx];
  const xs = u.data[0];
  const ys = u.data[seriesIdx];
  const r = ((s.points?.size ?? 4) / 2) * uPlot.pxRatio;
  const drawn = new Set<number>();
  const at: number[] = [];
  for (let i = idx0; i <= idx1; i++) {
    const v = ys[i];
    if (v == null) continue;
    const x = Math.round(u.valToPos(xs[i], 'x', true));
    const y = Math.round(u.valToPos(v, s.scale!, true));
    const key = x * 1e6 + y;
    if (drawn.has(key)) continue;
    drawn.add(key);
    at.push(x, y);
  }
  const fill = new Path2D();
  if (at.length / 2 > DENSE_POINTS) {
    const side = r * Math.sqrt(Math.PI);
    for (let k = 0; k < at.length; k += 2) fill.rect(at[k] - side / 2, at[k + 1] - side / 2, side, side);
  } else {
    for (let k = 0; k < at.length; k += 2) {
      fill.moveTo(at[k] + r, at[k + 1]);
      fill.arc(at[k], at[k + 1], r, 0, 2 * Math.PI);
    }
  }
  // Clipped to the plot and a point's width around it, as uPlot's own points are.
  const { left, top, width, height } = u.bbox;
  const clip = new Path2D();
  clip.rect(left - 2 * r, top - 2 * r, width + 4 * r, height + 4 * r);
  return { fill, stroke: null, clip, flags: 3 /* clip the fill and the stroke */ };
};

function legend(own: Own[], withEscapes: boolean): string {
  const item = (s: { label: string; kind: string; color: string; dashed?: boolean }) => {
    const mark =
      s.kind === 'points'
        ? `<circle cx="9" cy="6" r="4" fill="${withAlpha(s.color, 0.6)}"/>`
        : s.kind === 'escape'
          ? `<path d="M4,10 L9,2 L14,10 z" fill="${s.color}"/>`
          : `<path d="M1,9 H8 V3 H17" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
    return `<li><svg width="18" height="12" viewBox="0 0 18 12">${mark}</svg>${s.label}</li>`;
  };
  // The current solution's line is drawn but not listed: it reads as the points' own trail.
  const items = own.filter((s) => !s.unlisted).map(item);
  if (withEscapes) items.push(item({ label: 'escapes', kind: 'escape', color: COLORS.escape }));
  return items.join('');
}

function metricOf(objective: string): string {
  return objective.startsWith('zc:') ? objective : objective.split('@')[0];
}

/** A two-stage run: stage 1 by proxy evaluations; stage 2 by the run's simulated seconds, its axis starting where stage 2 does. */
function stageColumns(): Column[] {
  return [
    { id: 's1', stage: 1, xName: 'proxy evaluations', title: 'Stage 1: local search on the zero-cost proxy', x: (p) => p.evals, fromZero: true, log: false },
    { id: 's2', stage: 2, xName: 'simulated time so far (s)', title: 'Stage 2: successive halving with training', x: (p) => p.cost, fromZero: false, log: false },
  ];
}

function evalsColumn(): Column {
  return { id: 'evals', stage: null, xName: 'evaluations', title: '', x: (p) => p.evals, fromZero: true, log: false };
}

function costColumn(log: boolean): Column {
  return { id: log ? 'cost-log' : 'cost', stage: null, xName: log ? 'simulated time (s, log scale)' : 'simulated cost (s)', title: '', x: (p) => p.cost, fromZero: true, log };
}

function inStage(c: Column, p: { stage: number }): boolean {
  return c.stage === null || p.stage === c.stage;
}

function inColumn(c: Column, list: Point[] | undefined): Point[] {
  return (list ?? []).filter((p) => inStage(c, p));
}

/** Whether the column draws the objective: stage 1 the zero-cost proxy, stage 2 the training-based ladder. */
function holds(c: Column, objective: string): boolean {
  if (c.stage === null) return true;
  return objective.startsWith('zc:') === (c.stage === 1);
}

/** The column's one best-so-far line: the engine's new-best points of its stage, in order. */
function bestPoints(t: Trajectory, c: Column): Point[] {
  const pts: Point[] = [];
  for (const list of t.best.values()) for (const p of list) if (inStage(c, p)) pts.push(p);
  return pts.sort((a, b) => a.evals - b.evals);
}

/** Extends a best-so-far step line to the run's current x, so it reads as "still the best" (in the stage under way only). */
function extend(s: Own, t: Trajectory, c: Column): Own {
  const n = s.xs.length;
  const x = c.x(t);
  if (n && (c.stage === null || c.stage === t.stage) && x > s.xs[n - 1]) {
    s.xs.push(x);
    s.ys.push(s.ys[n - 1]);
    s.archs.push(s.archs[n - 1]);
  }
  return s;
}

/** Stage boundaries (single column) and rung starts, where they fall in the column. */
function marksIn(t: Trajectory, c: Column, words: Words): { x: number; label: string; dashed: boolean }[] {
  const stages = c.stage === null ? t.stages.map((m) => mark(m, c, false, words)) : [];
  const rungs = t.rungs.filter((m) => inStage(c, m)).map((m) => mark(m, c, true, words));
  return [...stages, ...rungs].filter((m) => !c.log || m.x > 0);
}

function mark(m: Mark, c: Column, dashed: boolean, words: Words) {
  return { x: c.x(m), label: markLabel(m, words), dashed };
}

/** A boundary's label: "round 2" in plain words, "rung 1 (val_acc@200)" in exact ones. */
function markLabel(m: Mark, words: Words): string {
  if (m.rung) return words === 'plain' ? `round ${m.rung.rung + 1}` : `rung ${m.rung.rung} (${m.rung.objective})`;
  return m.label.replace(/:.*/, '');
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
