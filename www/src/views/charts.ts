// ECharts, used for one thing only: drawing the run's trajectory as an SVG figure for export
// (./trajectory-figure.ts, loaded when a figure is exported). Every live chart of the page is
// SVG or uPlot. Tree-shaken to the parts that figure draws, with the SVG renderer.
import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, SVGRenderer]);

export { echarts };
