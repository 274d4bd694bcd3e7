// The training panel's two live charts (loss per step, validation accuracy per epoch), drawn
// with uPlot as the Run view's trajectory is: a redraw of a few thousand points takes a few
// milliseconds, where ECharts' merge-and-render took 50-95 ms at times while a training worker
// held one of a two-core machine's cores, and loading uPlot costs nothing more (the first view
// already has it).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { onPresenting, scale } from '../shell/present';

/** One line of a chart: its points [x, y] in x order. */
export interface Curve {
  label: string;
  color: string;
  dashed: boolean;
  points: readonly (readonly [number, number])[];
  /** A thin, faint line (the raw losses behind their running mean). */
  faint?: boolean;
  /** Marks at each point (the per-epoch accuracy). */
  marks?: boolean;
}

export interface CurveChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Formats a value in the hover readout. */
  format: (y: number) => string;
  /** The x range to show, given the data's largest x (e.g. always up to the last epoch). */
  xRange?: (max: number) => [number, number];
  /** The y range to show, given the data's range (default: the data's, padded). */
  yRange?: (min: number, max: number) => [number, number];
}

/** A chart of lines in `el` that follows its size and presentation mode; `set` replaces the lines. */
export class CurveChart {
  private u: uPlot | null = null;
  /** What the built chart's series are (a change of lines, colours or scale rebuilds it). */
  private shape = '';
  private curves: Curve[] = [];
  private readonly plot: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly observer: ResizeObserver;
  private readonly offPresenting: () => void;

  constructor(
    el: HTMLElement,
    private readonly opts: CurveChartOptions,
  ) {
    el.classList.add('curve-chart');
    // Title, plot and the legend below it; the plot takes the height the other two leave.
    el.innerHTML = '<p class="curve-title"></p><div class="curve-plot"></div><div class="curve-legend"></div>';
    el.querySelector('.curve-title')!.textContent = opts.title;
    this.plot = el.querySelector('.curve-plot')!;
    this.legend = el.querySelector('.curve-legend')!;
    this.observer = new ResizeObserver(() => this.resize());
    this.observer.observe(this.plot);
    this.offPresenting = onPresenting(() => {
      this.shape = '';
      this.set(this.curves);
    });
  }

  /** Draws `curves`: new data only, unless the lines themselves changed. */
  set(curves: Curve[]) {
    this.curves = curves;
    const shape = JSON.stringify([curves.map((c) => [c.label, c.color, c.dashed, !!c.faint, !!c.marks]), scale()]);
    const data = aligned(curves);
    if (this.u && shape === this.shape) {
      this.u.setData(data);
      return;
    }
    this.shape = shape;
    this.u?.destroy();
    this.u = new uPlot(this.options(curves), data, this.plot);
    // The new legend may take more or fewer rows than the old one, within this same task: a
    // resize observer sees no change then, so fit the plot to what the legend leaves now.
    this.resize();
  }

  destroy() {
    this.observer.disconnect();
    this.offPresenting();
    this.u?.destroy();
    this.u = null;
  }

  private size() {
    return { width: Math.max(160, this.plot.clientWidth), height: Math.max(100, this.plot.clientHeight) };
  }

  private resize() {
    if (!this.u) return;
    const { width, height } = this.size();
    if (width !== this.u.width || height !== this.u.height) this.u.setSize({ width, height });
  }

  private options(curves: Curve[]): uPlot.Options {
    const k = scale();
    const font = `${Math.round(12 * k)}px system-ui, sans-serif`;
    const { xRange, yRange, format } = this.opts;
    const axis = { font, labelFont: font, stroke: '#334155', grid: { stroke: '#e2e8f0' }, ticks: { stroke: '#cbd5e1' } };
    return {
      ...this.size(),
      // The legend doubles as the hover readout: each line's value at the cursor's x.
      legend: { show: true, live: true, mount: (_u, el) => this.legend.replaceChildren(el) },
      cursor: { drag: { x: false, y: false }, points: { size: 7 * k } },
      scales: {
        x: { time: false, range: (_u, min, max) => (xRange ? xRange(max ?? 0) : [min ?? 0, max ?? 1]) },
        y: { range: (_u, min, max) => (yRange ? yRange(min ?? 0, max ?? 1) : padded(min ?? 0, max ?? 1)) },
      },
      axes: [
        { ...axis, label: this.opts.xLabel, labelSize: 20 * k, size: 28 * k, space: 40 * k },
        { ...axis, label: this.opts.yLabel, labelSize: 20 * k, size: 44 * k, space: 24 * k, values: (_u, vals) => vals.map((v) => trim(v)) },
      ],
      series: [
        { label: this.opts.xLabel, value: (_u, v) => (v == null ? '–' : String(v)) },
        ...curves.map((c) => ({
          label: c.label,
          stroke: c.faint ? withAlpha(c.color, 0.35) : c.color,
          width: (c.faint ? 1 : 2.5) * k,
          dash: c.dashed ? [7 * k, 4 * k] : undefined,
          spanGaps: true,
          points: c.marks ? { show: true, size: 7 * k, fill: c.color, stroke: c.color } : { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '–' : format(v)),
        })),
      ],
    };
  }
}

/** uPlot's aligned data: the union of every curve's x, and each curve's y there (null elsewhere). */
export function aligned(curves: readonly Curve[]): uPlot.AlignedData {
  const all = new Set<number>();
  for (const c of curves) for (const [x] of c.points) all.add(x);
  const xs = Float64Array.from(all).sort();
  const index = new Map<number, number>();
  xs.forEach((x, i) => index.set(x, i));
  const ys = curves.map((c) => {
    const y: (number | null)[] = new Array(xs.length).fill(null);
    for (const [x, v] of c.points) y[index.get(x)!] = v;
    return y;
  });
  return [Array.from(xs), ...ys] as uPlot.AlignedData;
}

/** The data's range with a little room above and below (a flat line still gets a range). */
function padded(min: number, max: number): [number, number] {
  const pad = Math.max((max - min) * 0.08, Math.abs(max) * 0.02, 1e-3);
  return [min - pad, max + pad];
}

/** A tick label without float noise (0.30000000000000004 → 0.3). */
function trim(v: number): string {
  return String(Math.round(v * 1e6) / 1e6);
}

function withAlpha(hex: string, a: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}
