// The trajectory as a vector figure (SVG), drawn by ECharts' server-side SVG renderer from the
// same trajectory the page shows with uPlot. Loaded only when a figure is exported.
import type { Trajectory, Point, Mark } from '../models/trajectory';
import { COLORS, PALETTE } from '../config';
import { echarts, loadSvgRenderer } from './charts';
import { compact } from './trajectory';

const OBJ_COLORS = [PALETTE.blue, PALETTE.skyBlue, PALETTE.purple, PALETTE.orange, PALETTE.green, PALETTE.black];
const LEFT = 70;

type Series = { id: string; data: number[][]; markLine?: object };

/** Both charts of the trajectory as one SVG of `width` x (`h1` + `h2`) pixels. */
export async function trajectorySvg(t: Trajectory, x: 'cost' | 'evals', objectives: string[], width: number, h1: number, h2: number): Promise<string> {
  await loadSvgRenderer();
  const xv = (p: { evals: number; cost: number }) => (x === 'cost' ? p.cost : p.evals);
  const pts = (list: Point[] | undefined) => (list ?? []).map((p) => [xv(p), p.value, p.arch]);
  const upper: Series[] = [];
  for (const name of objectives) {
    upper.push({ id: `eval:${name}`, data: pts(t.evaluated.get(name)) });
    upper.push({ id: `current:${name}`, data: pts(t.current.get(name)) });
    upper.push({ id: `best:${name}`, data: extend(pts(t.best.get(name)), xv(t)) });
  }
  upper.push({ id: 'boundaries', data: [], markLine: marks(t, xv, true) });
  const lower: Series[] = [
    { id: 'test', data: pts(t.test) },
    { id: 'bestTest', data: extend(pts(t.bestTest), xv(t)), markLine: marks(t, xv, false) },
    { id: 'escapes', data: t.escapes.map((m) => [xv(m), 0]) },
  ];
  const right = 70 + 58 * Math.max(0, Math.floor((new Set(objectives.map(metricOf)).size - 1) / 2));
  const render = (option: object, height: number) => {
    const chart = echarts.init(null as unknown as HTMLElement, undefined, { renderer: 'svg', ssr: true, width, height });
    chart.setOption({ ...option, animation: false, backgroundColor: '#ffffff' });
    const svg = chart.renderToSVGString();
    chart.dispose();
    return svg;
  };
  const nest = (svg: string, y: number) => svg.replace('<svg', `<svg y="${y}"`);
  const top = render(upperLayout(objectives, upper, right), h1);
  const bottom = render(lowerLayout(x, lower, right), h2);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h1 + h2}" viewBox="0 0 ${width} ${h1 + h2}">${nest(top, 0)}${nest(bottom, h1)}</svg>`;
}

function upperLayout(objectives: string[], data: Series[], right: number) {
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
    xAxis: { type: 'value', min: 0, max: 'dataMax', axisLabel: { formatter: compact } },
    yAxis,
    series: merge(series, data),
  };
}

function lowerLayout(x: 'cost' | 'evals', data: Series[], right: number) {
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
    xAxis: { type: 'value', min: 0, max: 'dataMax', name: xName, nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: compact } },
    yAxis: [
      { type: 'value', scale: true, name: 'test accuracy (%)', nameTextStyle: { align: 'left' }, axisLabel: { formatter: (v: number) => v.toFixed(1) } },
      { type: 'value', show: false, min: 0, max: 1 },
    ],
    series: merge(series, data),
  };
}

function metricOf(objective: string): string {
  return objective.split('@')[0];
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
