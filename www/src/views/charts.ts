// ECharts set up once (tree-shaken), with figure export to SVG and PNG.
import * as echarts from 'echarts/core';
import { BarChart, BoxplotChart, GraphChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  TransformComponent,
} from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  BoxplotChart,
  GraphChart,
  LineChart,
  ScatterChart,
  DataZoomComponent,
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  TransformComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
export type Chart = echarts.ECharts;

/** A chart in `el` that follows the element's size. */
export function makeChart(el: HTMLElement): Chart {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  new ResizeObserver(() => chart.resize()).observe(el);
  return chart;
}

/** The chart as a figure: SVG text (re-rendered with the SVG renderer) or a PNG data URL. */
export function exportChart(chart: Chart, format: 'svg' | 'png'): string {
  if (format === 'png') return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
  const host = document.createElement('div');
  const width = chart.getWidth();
  const height = chart.getHeight();
  const svg = echarts.init(host, undefined, { renderer: 'svg', ssr: true, width, height });
  const option = chart.getOption() as echarts.EChartsCoreOption;
  svg.setOption({ ...option, animation: false, backgroundColor: '#ffffff' });
  const text = svg.renderToSVGString();
  svg.dispose();
  return text;
}
