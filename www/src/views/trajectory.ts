// Trajectory view: objective and test accuracy of the evaluated, current and best-so-far
// architectures against simulated cost or evaluations, with stage boundaries, rungs and
// escapes marked.
import type { Trajectory, Point, Mark } from '../models/trajectory';
import { COLORS } from '../config';
import { makeChart, type Chart } from './charts';

const OBJ_COLORS = ['#2563eb', '#0891b2', '#9333ea', '#db2777', '#ca8a04', '#4f46e5'];

export class TrajectoryView {
  readonly chart: Chart;
  onPick: (arch: number) => void = () => {};

  constructor(el: HTMLElement) {
    this.chart = makeChart(el);
    // Large scatter series give only the data index on click: look the point up.
    this.chart.on('click', (p) => {
      const data = this.data.get(p.seriesId ?? '');
      const arch = (p.data as number[] | undefined)?.[2] ?? data?.[p.dataIndex]?.[2];
      if (typeof arch === 'number') this.onPick(arch);
    });
  }

  private structure = '';
  private data = new Map<string, number[][]>();
  private objectives: string[] = ['objective'];
  private nMarks = -1;

  /**
   * A new run: its objectives (from the engine) fix the chart's layout, so that redraws
   * during play only replace series data. Objectives of one metric at several fidelities
   * (a successive-halving ladder) share one y axis.
   */
  setObjectives(objectives: string[]) {
    this.objectives = objectives.length ? objectives : ['objective'];
    this.structure = '';
  }

  /** Draws `t`; cheap unless the layout changed (new run, other x axis). */
  render(t: Trajectory, x: 'cost' | 'evals') {
    const xv = (p: { evals: number; cost: number }) => (x === 'cost' ? p.cost : p.evals);
    const pts = (list: Point[] | undefined) => (list ?? []).map((p) => [xv(p), p.value, p.arch]);
    // Objectives the engine did not announce still get drawn (after a relayout).
    for (const o of [...t.evaluated.keys(), ...t.best.keys()]) {
      if (!this.objectives.includes(o)) this.objectives = [...this.objectives.filter((x) => x !== 'objective'), o];
    }
    const objectives = this.objectives;
    const structure = JSON.stringify([objectives, x]);
    const series: { id: string; data: unknown[]; markLine?: object }[] = [];
    for (const name of objectives) {
      series.push({ id: `eval:${name}`, data: pts(t.evaluated.get(name)) });
      series.push({ id: `current:${name}`, data: pts(t.current.get(name)) });
      series.push({ id: `best:${name}`, data: extend(pts(t.best.get(name)), xv(t)) });
    }
    series.push({ id: 'test', data: pts(t.test) });
    // Mark lines are rebuilt only when a boundary was added (they are costly to lay out).
    const nMarks = t.stages.length + t.rungs.length;
    const fresh = structure !== this.structure || nMarks !== this.nMarks;
    this.nMarks = nMarks;
    series.push({ id: 'bestTest', data: extend(pts(t.bestTest), xv(t)), ...(fresh ? { markLine: marks(t, xv) } : {}) });
    series.push({ id: 'boundaries', data: [], ...(fresh ? { markLine: marks(t, xv, true) } : {}) });
    series.push({ id: 'escapes', data: t.escapes.map((m) => [xv(m), 0]) });
    this.data = new Map(series.map((s) => [s.id, s.data as number[][]]));
    if (structure !== this.structure) {
      this.structure = structure;
      this.chart.setOption(this.layout(objectives, x, series), { notMerge: true });
    } else {
      this.chart.setOption({ series });
    }
  }

  private layout(objectives: string[], x: 'cost' | 'evals', data: { id: string }[]) {
    const metric = (o: string) => o.split('@')[0];
    const groups = [...new Set(objectives.map(metric))];
    const yAxes: object[] = groups.map((name, i) => ({
      type: 'value',
      scale: true,
      gridIndex: 0,
      name,
      nameTextStyle: { color: OBJ_COLORS[i % OBJ_COLORS.length], align: i % 2 === 0 ? 'left' : 'right' },
      position: i % 2 === 0 ? 'left' : 'right',
      offset: Math.floor(i / 2) * 58,
      axisLine: { show: true, lineStyle: { color: OBJ_COLORS[i % OBJ_COLORS.length] } },
      axisLabel: { formatter: compact },
      splitLine: { show: i === 0 },
    }));
    const testAxis = groups.length;
    yAxes.push({ type: 'value', scale: true, gridIndex: 1, name: 'test accuracy (%)', nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v: number) => v.toFixed(1) } });
    const escapeAxis = groups.length + 1;
    yAxes.push({ type: 'value', gridIndex: 1, show: false, min: 0, max: 1 });
    const series: object[] = [];
    objectives.forEach((name, k) => {
      const i = groups.indexOf(metric(name));
      const color = OBJ_COLORS[(i + k) % OBJ_COLORS.length];
      const axis = { xAxisIndex: 0, yAxisIndex: i };
      series.push({ id: `eval:${name}`, name: `${name} (evaluated)`, type: 'scatter', ...axis, symbolSize: 3, itemStyle: { color, opacity: 0.35 }, large: true, largeThreshold: 400 });
      series.push({ id: `current:${name}`, name: `${name} (current)`, type: 'line', ...axis, step: 'end', showSymbol: false, lineStyle: { color, width: 1, opacity: 0.8 }, itemStyle: { color } });
      series.push({ id: `best:${name}`, name: `${name} (best so far)`, type: 'line', ...axis, step: 'end', showSymbol: false, lineStyle: { color: COLORS.best, width: 2 }, itemStyle: { color: COLORS.best } });
    });
    series.push({ id: 'test', name: 'test acc (evaluated)', type: 'scatter', xAxisIndex: 1, yAxisIndex: testAxis, symbolSize: 3, itemStyle: { color: COLORS.test, opacity: 0.35 }, large: true, largeThreshold: 400 });
    series.push({ id: 'bestTest', name: 'test acc of best so far', type: 'line', xAxisIndex: 1, yAxisIndex: testAxis, step: 'end', showSymbol: false, lineStyle: { color: COLORS.bestTest, width: 2 }, itemStyle: { color: COLORS.bestTest } });
    // Boundaries drawn on the objective grid too.
    series.push({ id: 'boundaries', name: 'boundaries', type: 'line', xAxisIndex: 0, yAxisIndex: 0 });
    series.push({ id: 'escapes', name: 'escapes', type: 'scatter', xAxisIndex: 1, yAxisIndex: escapeAxis, symbol: 'triangle', symbolSize: 7, itemStyle: { color: COLORS.escape } });
    const byId = new Map(data.map((d) => [d.id, d]));
    const merged = series.map((s) => ({ ...s, ...byId.get((s as { id: string }).id) }));
    const right = 70 + 58 * Math.max(0, Math.floor((groups.length - 1) / 2));
    const xName = x === 'cost' ? 'simulated cost (s)' : 'evaluations';
    const legend = merged.map((s) => (s as { name: string }).name).filter((n) => n !== 'boundaries' && !n.endsWith('(current)'));
    return {
      animation: false,
      grid: [
        { left: 70, right, top: 58, height: '40%' },
        { left: 70, right, top: '62%', bottom: 60 },
      ],
      legend: { type: 'scroll', top: 0, data: legend },
      tooltip: { trigger: 'item', formatter: tooltip(xName) },
      xAxis: [
        { type: 'value', gridIndex: 0, min: 0, max: 'dataMax', axisLabel: { formatter: compact } },
        { type: 'value', gridIndex: 1, min: 0, max: 'dataMax', name: xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: compact } },
      ],
      yAxis: yAxes,
      dataZoom: [{ type: 'inside', xAxisIndex: [0, 1] }],
      series: merged,
    };
  }
}

/** Extends a best-so-far step line to the current x, so it reads as "still the best". */
function extend(data: number[][], x: number) {
  const last = data[data.length - 1];
  return last && x > last[0] ? [...data, [x, last[1], last[2]]] : data;
}

function marks(t: Trajectory, xv: (m: Mark) => number, labels = false) {
  const line = (m: Mark, color: string, type: string, show: boolean) => ({
    xAxis: xv(m),
    name: m.label,
    lineStyle: { color, type, width: 1 },
    label: { show, formatter: m.label.replace(/:.*/, ''), position: 'insideEndTop', fontSize: 10 },
  });
  return {
    symbol: 'none',
    silent: false,
    animation: false,
    data: [
      ...t.stages.map((m) => line(m, COLORS.stage, 'solid', labels)),
      ...t.rungs.map((m) => line(m, COLORS.stage, 'dashed', labels)),
    ],
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
