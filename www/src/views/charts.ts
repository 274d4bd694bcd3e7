// ECharts set up once, tree-shaken to what the first view draws (line, scatter and the cell's
// graph on canvas); views that need more register it in their own lazily loaded module
// (`echarts.use([...])`), and the SVG renderer is loaded when a figure is exported as SVG.
// Presentation mode enlarges every chart's text and marks (`setPresenting`).
import * as echarts from 'echarts/core';
import { GraphChart, LineChart, ScatterChart } from 'echarts/charts';
import { DataZoomInsideComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { PRESENT_SCALE, onPresenting, presenting } from '../shell/present';

echarts.use([GraphChart, LineChart, ScatterChart, DataZoomInsideComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, CanvasRenderer]);

export { echarts };
export type Chart = echarts.ECharts;

const charts = new Set<Chart>();

/** Larger default text for presentation mode (explicit sizes are scaled by `scaled`). */
const PRESENT_THEME = (() => {
  const f = (px: number) => Math.round(px * PRESENT_SCALE);
  const axis = { axisLabel: { fontSize: f(12) }, nameTextStyle: { fontSize: f(12) } };
  return {
    textStyle: { fontSize: f(12) },
    title: { textStyle: { fontSize: f(18) } },
    legend: { textStyle: { fontSize: f(12) }, itemWidth: f(25), itemHeight: f(14) },
    tooltip: { textStyle: { fontSize: f(14) } },
    categoryAxis: axis,
    valueAxis: axis,
    logAxis: axis,
    timeAxis: axis,
  };
})();
echarts.registerTheme('mfnas-present', PRESENT_THEME);

const SCALED_KEYS = new Set(['fontSize', 'symbolSize', 'width', 'edgeSymbolSize', 'itemWidth', 'itemHeight', 'nameGap']);

/** A copy of an option with explicit text sizes, symbol sizes and line widths scaled by `k`. */
export function scaled<T>(option: T, k: number, key = ''): T {
  if (k === 1) return option;
  if (typeof option === 'number') return (SCALED_KEYS.has(key) ? Math.round(option * k * 10) / 10 : option) as T;
  if (Array.isArray(option)) return (key === 'data' ? option : option.map((v) => scaled(v, k, key === 'series' ? '' : key))) as T;
  if (option === null || typeof option !== 'object' || Object.getPrototypeOf(option) !== Object.prototype) return option;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(option as Record<string, unknown>)) {
    if (key === 'grid' && typeof v === 'number' && ['left', 'right', 'top', 'bottom'].includes(name)) {
      // Larger labels need larger margins around the plot.
      out[name] = Math.round(v * k);
      continue;
    }
    // Chart sizes of containers (grid.width, ...) are layout, not marks: only widths of lines.
    out[name] = name === 'width' && key !== 'lineStyle' ? v : scaled(v, k, name);
  }
  return out as T;
}

/** A chart in `el` that follows the element's size and presentation mode. */
export function makeChart(el: HTMLElement): Chart {
  const chart = echarts.init(el, presenting() ? 'mfnas-present' : undefined, { renderer: 'canvas' });
  const setOption = chart.setOption.bind(chart) as (option: unknown, ...rest: unknown[]) => void;
  // Every option a view sets goes through the scale of the current mode.
  (chart as unknown as { setOption: typeof setOption }).setOption = (option, ...rest) => setOption(scaled(option, presenting() ? PRESENT_SCALE : 1), ...rest);
  new ResizeObserver(() => chart.resize()).observe(el);
  charts.add(chart);
  return chart;
}

// Every chart follows presentation mode (views then redraw: shell event `present`).
onPresenting((on) => {
  for (const chart of charts) {
    if (chart.isDisposed()) {
      charts.delete(chart);
      continue;
    }
    chart.setTheme(on ? 'mfnas-present' : 'default');
  }
});

let svgRenderer: Promise<void> | null = null;

/** Loads the SVG renderer (for SVG export) once. */
export function loadSvgRenderer(): Promise<void> {
  svgRenderer ??= import('echarts/renderers').then(({ SVGRenderer }) => echarts.use([SVGRenderer]));
  return svgRenderer;
}

