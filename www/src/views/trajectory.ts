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
    this.chart.on('click', (p) => {
      const arch = (p.data as { arch?: number } | undefined)?.arch;
      if (typeof arch === 'number') this.onPick(arch);
    });
  }

  render(t: Trajectory, x: 'cost' | 'evals', animate = false) {
    const xv = (p: { evals: number; cost: number }) => (x === 'cost' ? p.cost : p.evals);
    const pts = (list: Point[] | undefined) => (list ?? []).map((p) => ({ value: [xv(p), p.value], arch: p.arch }));
    const seen = [...new Set([...t.evaluated.keys(), ...t.best.keys()])];
    // One objective axis at least, so the top grid exists before the first evaluation.
    const objectives = seen.length ? seen : ['objective'];
    const yAxes: object[] = objectives.map((name, i) => ({
      type: 'value',
      scale: true,
      gridIndex: 0,
      name: i === 0 ? name : undefined,
      position: i % 2 === 0 ? 'left' : 'right',
      offset: Math.floor(i / 2) * 58,
      axisLine: { show: true, lineStyle: { color: OBJ_COLORS[i % OBJ_COLORS.length] } },
      axisLabel: { formatter: compact },
      splitLine: { show: i === 0 },
    }));
    const testAxis = objectives.length;
    yAxes.push({ type: 'value', scale: true, gridIndex: 1, name: 'test accuracy (%)', nameGap: 12, axisLabel: { formatter: (v: number) => v.toFixed(1) } });
    const series: object[] = [];
    objectives.forEach((name, i) => {
      const color = OBJ_COLORS[i % OBJ_COLORS.length];
      series.push({
        name: `${name} (evaluated)`,
        type: 'scatter',
        xAxisIndex: 0,
        yAxisIndex: i,
        symbolSize: 3,
        itemStyle: { color, opacity: 0.35 },
        data: pts(t.evaluated.get(name)),
      });
      const cur = t.current.get(name);
      if (cur?.length) {
        series.push({ name: `${name} (current)`, type: 'line', xAxisIndex: 0, yAxisIndex: i, step: 'end', showSymbol: false, lineStyle: { color, width: 1, opacity: 0.8 }, itemStyle: { color }, data: pts(cur) });
      }
      series.push({
        name: `${name} (best so far)`,
        type: 'line',
        xAxisIndex: 0,
        yAxisIndex: i,
        step: 'end',
        showSymbol: false,
        lineStyle: { color: COLORS.best, width: 2 },
        itemStyle: { color: COLORS.best },
        data: extend(pts(t.best.get(name)), xv(t)),
      });
    });
    series.push({
      name: 'test acc (evaluated)',
      type: 'scatter',
      xAxisIndex: 1,
      yAxisIndex: testAxis,
      symbolSize: 3,
      itemStyle: { color: COLORS.test, opacity: 0.35 },
      data: pts(t.test),
      large: true,
    });
    series.push({
      name: 'test acc of best so far',
      type: 'line',
      xAxisIndex: 1,
      yAxisIndex: testAxis,
      step: 'end',
      showSymbol: false,
      lineStyle: { color: COLORS.bestTest, width: 2 },
      itemStyle: { color: COLORS.bestTest },
      data: extend(pts(t.bestTest), xv(t)),
      markLine: marks(t, xv),
    });
    // Boundaries drawn on the objective grid too.
    series.push({ name: 'boundaries', type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: [], markLine: marks(t, xv, true) });
    const xName = x === 'cost' ? 'simulated cost (s)' : 'evaluations';
    this.chart.setOption(
      {
        animation: animate,
        grid: [
          { left: 70, right: 70 + 58 * Math.max(0, Math.floor((objectives.length - 1) / 2)), top: 40, height: '44%' },
          { left: 70, right: 70 + 58 * Math.max(0, Math.floor((objectives.length - 1) / 2)), top: '62%', bottom: 60 },
        ],
        legend: { type: 'scroll', top: 0, data: series.map((s) => (s as { name: string }).name).filter((n) => n !== 'boundaries') },
        tooltip: { trigger: 'item', formatter: tooltip(xName) },
        xAxis: [
          { type: 'value', gridIndex: 0, min: 0, max: 'dataMax', axisLabel: { formatter: compact } },
          { type: 'value', gridIndex: 1, min: 0, max: 'dataMax', name: xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: compact } },
        ],
        yAxis: yAxes,
        dataZoom: [{ type: 'inside', xAxisIndex: [0, 1] }],
        series,
      },
      { notMerge: true, lazyUpdate: true },
    );
  }
}

/** Extends a best-so-far step line to the current x, so it reads as "still the best". */
function extend(data: { value: number[]; arch: number }[], x: number) {
  const last = data[data.length - 1];
  return last && x > last.value[0] ? [...data, { value: [x, last.value[1]], arch: last.arch }] : data;
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
      ...t.escapes.map((m) => line(m, COLORS.escape, 'dotted', false)),
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
  return (p: { seriesName: string; data: { value: number[]; arch?: number } }) =>
    `${p.seriesName}<br>${xName}: ${compact(p.data.value[0])}<br>value: ${p.data.value[1].toFixed(4)}${p.data.arch !== undefined ? `<br>arch #${p.data.arch} (click for its cell)` : ''}`;
}
