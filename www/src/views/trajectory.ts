// Trajectory view: objective and test accuracy of the evaluated, current and best-so-far
// architectures against simulated cost or evaluations, with stage boundaries, rungs and
// escapes marked. Two connected charts (objective above, test accuracy below, zoomed
// together) so that each redraw during play is two short tasks rather than one long one.
import type { Trajectory, Point, Mark } from '../models/trajectory';
import { COLORS } from '../config';
import { echarts, makeChart, type Chart } from './charts';
import { timed } from '../perf';

const OBJ_COLORS = ['#2563eb', '#0891b2', '#9333ea', '#db2777', '#ca8a04', '#4f46e5'];
const LEFT = 70;

type Series = { id: string; data: number[][]; markLine?: object };

export class TrajectoryView {
  readonly top: Chart;
  readonly bottom: Chart;
  onPick: (arch: number) => void = () => {};
  private structure = '';
  private data = new Map<string, number[][]>();
  private objectives: string[] = ['objective'];
  private nMarks = -1;

  constructor(topEl: HTMLElement, bottomEl: HTMLElement) {
    this.top = makeChart(topEl);
    this.bottom = makeChart(bottomEl);
    echarts.connect([this.top, this.bottom]);
    for (const chart of [this.top, this.bottom]) {
      // Large scatter series give only the data index on click: look the point up.
      chart.on('click', (p) => {
        const arch = (p.data as number[] | undefined)?.[2] ?? this.data.get(p.seriesId ?? '')?.[p.dataIndex]?.[2];
        if (typeof arch === 'number') this.onPick(arch);
      });
    }
  }

  /**
   * A new run: its objectives (announced by the engine) fix the layout, so that redraws
   * during play only replace series data. Objectives of one metric at several fidelities
   * (a successive-halving ladder) share one y axis.
   */
  setObjectives(objectives: string[]) {
    this.objectives = objectives.length ? objectives : ['objective'];
    this.structure = '';
  }

  /** Draws `t`: the objective chart now, the test-accuracy chart in the next task. */
  render(t: Trajectory, x: 'cost' | 'evals') {
    const xv = (p: { evals: number; cost: number }) => (x === 'cost' ? p.cost : p.evals);
    const pts = (list: Point[] | undefined) => (list ?? []).map((p) => [xv(p), p.value, p.arch]);
    // An objective the engine did not announce still gets drawn (after a relayout).
    for (const o of [...t.evaluated.keys(), ...t.best.keys()]) {
      if (!this.objectives.includes(o)) this.objectives = [...this.objectives.filter((v) => v !== 'objective'), o];
    }
    const objectives = this.objectives;
    const structure = JSON.stringify([objectives, x]);
    const relayout = structure !== this.structure;
    this.structure = structure;
    const nMarks = t.stages.length + t.rungs.length;
    const marksChanged = relayout || nMarks !== this.nMarks;
    this.nMarks = nMarks;
    const upper: Series[] = [];
    for (const name of objectives) {
      upper.push({ id: `eval:${name}`, data: pts(t.evaluated.get(name)) });
      upper.push({ id: `current:${name}`, data: pts(t.current.get(name)) });
      upper.push({ id: `best:${name}`, data: extend(pts(t.best.get(name)), xv(t)) });
    }
    upper.push({ id: 'boundaries', data: [], ...(marksChanged ? { markLine: marks(t, xv, true) } : {}) });
    const lower: Series[] = [
      { id: 'test', data: pts(t.test) },
      { id: 'bestTest', data: extend(pts(t.bestTest), xv(t)), ...(marksChanged ? { markLine: marks(t, xv, false) } : {}) },
      { id: 'escapes', data: t.escapes.map((m) => [xv(m), 0]) },
    ];
    const previous = this.data;
    this.data = new Map([...upper, ...lower].map((s) => [s.id, s.data]));
    const rightMargin = 70 + 58 * Math.max(0, Math.floor((new Set(objectives.map(metricOf)).size - 1) / 2));
    // Each chart is updated *and painted* in its own task (zrender would otherwise paint both
    // in one animation frame, outside our control).
    const apply = (chart: Chart, series: Series[], layout: () => echarts.EChartsCoreOption, what: string) => {
      if (relayout) {
        timed(`${what} layout`, () => chart.setOption(layout(), { notMerge: true }));
      } else {
        // Only the series that grew or moved: ECharts then redoes only their layout.
        const changed = series.filter((s) => s.markLine !== undefined || !sameTail(previous.get(s.id), s.data));
        if (!changed.length) return;
        timed(`${what} update`, () => chart.setOption({ series: changed }));
      }
      timed(`${what} paint`, () => chart.getZr().refreshImmediately());
    };
    apply(this.top, upper, () => this.upperLayout(objectives, upper, rightMargin), 'trajectory objective');
    setTimeout(() => apply(this.bottom, lower, () => this.lowerLayout(x, lower, rightMargin), 'trajectory test'), 0);
  }

  private upperLayout(objectives: string[], data: Series[], right: number) {
    const groups = [...new Set(objectives.map(metricOf))];
    const yAxis = groups.map((name, i) => ({
      type: 'value',
      scale: true,
      name,
      nameTextStyle: { color: OBJ_COLORS[i % OBJ_COLORS.length], align: i % 2 === 0 ? 'left' : 'right' },
      position: i % 2 === 0 ? 'left' : 'right',
      offset: Math.floor(i / 2) * 58,
      axisLine: { show: true, lineStyle: { color: OBJ_COLORS[i % OBJ_COLORS.length] } },
      axisLabel: { formatter: compact },
      splitLine: { show: i === 0 },
    }));
    const series: object[] = [];
    objectives.forEach((name, k) => {
      const i = groups.indexOf(metricOf(name));
      const color = OBJ_COLORS[(i + k) % OBJ_COLORS.length];
      series.push({ id: `eval:${name}`, name: `${name} (evaluated)`, type: 'scatter', yAxisIndex: i, symbolSize: 3, itemStyle: { color, opacity: 0.35 }, large: true, largeThreshold: 400 });
      series.push({ id: `current:${name}`, name: `${name} (current)`, type: 'line', yAxisIndex: i, step: 'end', showSymbol: false, lineStyle: { color, width: 1, opacity: 0.8 }, itemStyle: { color } });
      series.push({ id: `best:${name}`, name: `${name} (best so far)`, type: 'line', yAxisIndex: i, step: 'end', showSymbol: false, lineStyle: { color: COLORS.best, width: 2 }, itemStyle: { color: COLORS.best } });
    });
    series.push({ id: 'boundaries', name: 'boundaries', type: 'line', yAxisIndex: 0 });
    const legend = series.map((s) => (s as { name: string }).name).filter((n) => n !== 'boundaries' && !n.endsWith('(current)'));
    return {
      animation: false,
      grid: { left: LEFT, right, top: 58, bottom: 24 },
      legend: { type: 'scroll', top: 0, data: legend },
      tooltip: { trigger: 'item', formatter: tooltip('x') },
      xAxis: { type: 'value', min: 0, max: 'dataMax', axisLabel: { formatter: compact } },
      yAxis,
      dataZoom: [{ type: 'inside', filterMode: 'none' }],
      series: merge(series, data),
    };
  }

  private lowerLayout(x: 'cost' | 'evals', data: Series[], right: number) {
    const xName = x === 'cost' ? 'simulated cost (s)' : 'evaluations';
    const series = [
      { id: 'test', name: 'test acc (evaluated)', type: 'scatter', symbolSize: 3, itemStyle: { color: COLORS.test, opacity: 0.35 }, large: true, largeThreshold: 400 },
      { id: 'bestTest', name: 'test acc of best so far', type: 'line', step: 'end', showSymbol: false, lineStyle: { color: COLORS.bestTest, width: 2 }, itemStyle: { color: COLORS.bestTest } },
      { id: 'escapes', name: 'escapes', type: 'scatter', yAxisIndex: 1, symbol: 'triangle', symbolSize: 7, itemStyle: { color: COLORS.escape } },
    ];
    return {
      animation: false,
      grid: { left: LEFT, right, top: 30, bottom: 48 },
      legend: { top: 0, data: series.map((s) => s.name) },
      tooltip: { trigger: 'item', formatter: tooltip(xName) },
      xAxis: { type: 'value', min: 0, max: 'dataMax', name: xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: compact } },
      yAxis: [
        { type: 'value', scale: true, name: 'test accuracy (%)', nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v: number) => v.toFixed(1) } },
        { type: 'value', show: false, min: 0, max: 1 },
      ],
      dataZoom: [{ type: 'inside', filterMode: 'none' }],
      series: merge(series, data),
    };
  }

  /** Both charts as one figure: a PNG of the connected charts, or one SVG holding both. */
  figure(format: 'svg' | 'png', exportChart: (c: Chart, f: 'svg') => string): string {
    if (format === 'png') return this.top.getConnectedDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    const h1 = this.top.getHeight();
    const w = this.top.getWidth();
    const h2 = this.bottom.getHeight();
    const nest = (svg: string, y: number) => svg.replace('<svg', `<svg y="${y}"`);
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h1 + h2}" viewBox="0 0 ${w} ${h1 + h2}">${nest(exportChart(this.top, 'svg'), 0)}${nest(exportChart(this.bottom, 'svg'), h1)}</svg>`;
  }
}

function metricOf(objective: string): string {
  return objective.split('@')[0];
}

function merge(series: object[], data: Series[]) {
  const byId = new Map(data.map((d) => [d.id, d]));
  return series.map((s) => ({ ...s, ...byId.get((s as { id: string }).id) }));
}

function sameTail(a: number[][] | undefined, b: number[][]): boolean {
  if (!a || a.length !== b.length) return false;
  const x = a[a.length - 1];
  const y = b[b.length - 1];
  return x === y || (x !== undefined && y !== undefined && x[0] === y[0] && x[1] === y[1]);
}

/** Extends a best-so-far step line to the current x, so it reads as "still the best". */
function extend(data: number[][], x: number) {
  const last = data[data.length - 1];
  return last && x > last[0] ? [...data, [x, last[1], last[2]]] : data;
}

function marks(t: Trajectory, xv: (m: Mark) => number, labels: boolean) {
  const line = (m: Mark, color: string, type: string) => ({
    xAxis: xv(m),
    name: m.label,
    lineStyle: { color, type, width: 1 },
    label: { show: labels, formatter: m.label.replace(/:.*/, ''), position: 'insideEndTop', fontSize: 10 },
  });
  return {
    symbol: 'none',
    animation: false,
    data: [...t.stages.map((m) => line(m, COLORS.stage, 'solid')), ...t.rungs.map((m) => line(m, COLORS.stage, 'dashed'))],
  };
}

function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toExponential(1);
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  return String(Math.round(v * 1000) / 1000);
}

function tooltip(xName: string) {
  return (p: { seriesName: string; data: number[] }) =>
    `${p.seriesName}<br>${xName}: ${compact(p.data[0])}<br>value: ${p.data[1].toFixed(4)}${p.data[2] !== undefined ? `<br>arch #${p.data[2]} (click for its cell)` : ''}`;
}
