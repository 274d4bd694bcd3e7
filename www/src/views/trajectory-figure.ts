// The trajectory as a vector figure (SVG), drawn by ECharts' server-side SVG renderer from the
// same trajectory the page shows with uPlot, in the same layout: one column per stage of a
// two-stage run (stage 1 by proxy evaluations, stage 2 by simulated time), one best-so-far
// line per column. Loaded only when a figure is exported.
import type { Trajectory, Point, Mark } from '../models/trajectory';
import { COLORS, PALETTE } from '../config';
import { echarts } from './charts';
import { compact } from './trajectory';

const OBJ_COLORS = [PALETTE.blue, PALETTE.skyBlue, PALETTE.purple, PALETTE.orange, PALETTE.green, PALETTE.black];
const LEFT = 70;

type Series = { id: string; data: number[][]; markLine?: object };

/** One column of the figure: the stage it holds (null: all) and its x axis. */
interface Column {
  stage: number | null;
  xName: string;
  title: string;
  x: (p: { evals: number; cost: number }) => number;
}

/** Both charts of the trajectory as one SVG of `width` x (`h1` + `h2`) pixels. */
export function trajectorySvg(t: Trajectory, x: 'cost' | 'evals', objectives: string[], width: number, h1: number, h2: number): string {
  const columns: Column[] = t.stages.length
    ? [
        { stage: 1, xName: 'proxy evaluations', title: 'Stage 1: local search on the zero-cost proxy', x: (p) => p.evals },
        { stage: 2, xName: 'simulated time so far (s)', title: 'Stage 2: successive halving with training', x: (p) => p.cost },
      ]
    : [{ stage: null, xName: x === 'cost' ? 'simulated cost (s)' : 'evaluations', title: '', x: x === 'cost' ? (p) => p.cost : (p) => p.evals }];
  const w = Math.floor(width / columns.length);
  const render = (option: object, height: number) => {
    const chart = echarts.init(null as unknown as HTMLElement, undefined, { renderer: 'svg', ssr: true, width: w, height });
    chart.setOption({ ...option, animation: false, backgroundColor: '#ffffff' });
    const svg = chart.renderToSVGString();
    chart.dispose();
    return svg;
  };
  const parts = columns.map((c, i) => {
    const names = objectives.filter((o) => c.stage === null || o.startsWith('zc:') === (c.stage === 1));
    const inStage = (p: { stage: number }) => c.stage === null || p.stage === c.stage;
    const pts = (list: Point[] | undefined) => (list ?? []).filter(inStage).map((p) => [c.x(p), p.value, p.arch]);
    const now = c.stage === null || t.stage === c.stage ? c.x(t) : -Infinity;
    const upper: Series[] = [];
    for (const name of names) {
      upper.push({ id: `eval:${name}`, data: pts(t.evaluated.get(name)) });
      upper.push({ id: `current:${name}`, data: pts(t.current.get(name)) });
    }
    const best = [...t.best.values()].flat().filter(inStage).sort((a, b) => a.evals - b.evals);
    upper.push({ id: 'best', data: extend(pts(best), now) });
    upper.push({ id: 'boundaries', data: [], markLine: marks(t, c, true) });
    const lower: Series[] = [
      { id: 'test', data: pts(t.test) },
      { id: 'bestTest', data: extend(pts(t.bestTest), now), markLine: marks(t, c, false) },
      { id: 'escapes', data: t.escapes.filter(inStage).map((m) => [c.x(m), 0]) },
    ];
    const right = 30 + 58 * Math.max(0, Math.floor((new Set(names.map(metricOf)).size - 1) / 2));
    const nest = (svg: string, y: number) => svg.replace('<svg', `<svg x="${i * w}" y="${y}"`);
    return nest(render(upperLayout(names, c, upper, right), h1), 0) + nest(render(lowerLayout(c, lower, right), h2), h1);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h1 + h2}" viewBox="0 0 ${width} ${h1 + h2}">${parts.join('')}</svg>`;
}

function upperLayout(objectives: string[], c: Column, data: Series[], right: number) {
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
  });
  series.push({ id: 'best', name: 'best so far', type: 'line', yAxisIndex: 0, step: 'end', showSymbol: false, lineStyle: { color: COLORS.best, width: 2 }, itemStyle: { color: COLORS.best } });
  series.push({ id: 'boundaries', name: 'boundaries', type: 'line', yAxisIndex: 0 });
  const legend = series.map((s) => (s as { name: string }).name).filter((n) => n !== 'boundaries' && !n.endsWith('(current)'));
  return {
    animation: false,
    title: c.title ? { text: c.title, left: LEFT, top: 0, textStyle: { fontSize: 12 } } : undefined,
    grid: { left: LEFT, right, top: c.title ? 70 : 58, bottom: 24 },
    legend: { type: 'scroll', top: c.title ? 20 : 0, data: legend },
    xAxis: { type: 'value', min: c.stage === 2 ? (v: { min: number }) => Math.floor(v.min / 100) * 100 : 0, max: 'dataMax', axisLabel: { formatter: compact } },
    yAxis,
    series: merge(series, data),
  };
}

function lowerLayout(c: Column, data: Series[], right: number) {
  const series = [
    { id: 'test', name: 'test accuracy (evaluated)', type: 'scatter', symbolSize: 3, itemStyle: { color: COLORS.test, opacity: 0.35 }, large: true, largeThreshold: 400 },
    { id: 'bestTest', name: 'test accuracy of the answer so far', type: 'line', step: 'end', showSymbol: false, lineStyle: { color: COLORS.bestTest, width: 2 }, itemStyle: { color: COLORS.bestTest } },
    { id: 'escapes', name: 'escapes', type: 'scatter', yAxisIndex: 1, symbol: 'triangle', symbolSize: 7, itemStyle: { color: COLORS.escape } },
  ];
  return {
    animation: false,
    grid: { left: LEFT, right, top: 30, bottom: 48 },
    legend: { top: 0, data: series.map((s) => s.name) },
    xAxis: { type: 'value', min: c.stage === 2 ? (v: { min: number }) => Math.floor(v.min / 100) * 100 : 0, max: 'dataMax', name: c.xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: compact } },
    yAxis: [
      { type: 'value', scale: true, name: 'test accuracy (%)', nameLocation: 'middle', nameGap: 44, axisLabel: { formatter: (v: number) => v.toFixed(1) } },
      { type: 'value', show: false, min: 0, max: 1 },
    ],
    series: merge(series, data),
  };
}

function metricOf(objective: string): string {
  return objective.startsWith('zc:') ? objective : objective.split('@')[0];
}

function merge(series: object[], data: Series[]) {
  const byId = new Map(data.map((d) => [d.id, d]));
  return series.map((s) => ({ ...s, ...byId.get((s as { id: string }).id) }));
}

/** Extends a best-so-far step line to the current x, so it reads as "still the best". */
function extend(data: number[][], x: number) {
  const last = data[data.length - 1];
  return last && x > last[0] ? [...data, [x, last[1], last[2]]] : data;
}

/** Stage boundaries (one column only) and rung starts, where they fall in the column. */
function marks(t: Trajectory, c: Column, labels: boolean) {
  const line = (m: Mark, color: string, type: string) => ({
    xAxis: c.x(m),
    name: m.label,
    lineStyle: { color, type, width: 1 },
    label: { show: labels, formatter: m.label.replace(/:.*/, ''), position: 'insideEndTop', fontSize: 10 },
  });
  const inStage = (m: Mark) => c.stage === null || m.stage === c.stage;
  return {
    symbol: 'none',
    animation: false,
    data: [...(c.stage === null ? t.stages : []).map((m) => line(m, COLORS.stage, 'solid')), ...t.rungs.filter(inStage).map((m) => line(m, COLORS.stage, 'dashed'))],
  };
}
