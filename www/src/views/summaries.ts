// The landscape summary of every metric of a table, as the paper's Figs. 2 and 3: optima per
// metric, test accuracy of the global optima, rank correlation with test accuracy, top-1 %
// overlap. All numbers come from the engine (one request per metric, in the worker); the charts
// redraw at most every half second, one chart per task.
import type { LandscapeSummary, TableInfo } from '../types';
import type { EngineClient } from '../worker/client';
import { makeChart, exportChart, type Chart } from './charts';

export class LandscapeSummaries {
  private metrics: string[] = [];
  private summaryCharts: Chart[] = [];
  private summariesFor = '';

  constructor(
    private client: EngineClient,
    private parts: { charts: HTMLElement; chartsStatus: HTMLElement; onError: (text: string) => void },
  ) {}

  /** A new table: list the metrics it can analyse (then `summaries()` draws them). */
  setTable(info: TableInfo, onMetrics: (metrics: string[]) => void) {
    this.summariesFor = '';
    this.metrics = [];
    void this.client
      .request({ type: 'landscapeMetrics' })
      .then((m) => {
        this.metrics = m;
        onMetrics(m);
      })
      .catch((e: Error) => this.parts.onError(`No landscape for ${info.title}: ${e.message}`));
  }

  /** The landscape numbers of every metric of the table, as the paper's Figs. 2 and 3. */
  async summaries() {
    if (!this.metrics.length) return;
    const key = this.metrics.join(',');
    if (key === this.summariesFor) return;
    this.summariesFor = key;
    const status = this.parts.chartsStatus;
    const got: LandscapeSummary[] = [];
    const t0 = performance.now();
    // Redraw at most every half second while the worker analyses (each redraw is 4 charts).
    let drawn = performance.now();
    for (const [i, metric] of this.metrics.entries()) {
      status.textContent = `Analysing the landscape of ${metric} (${i + 1} of ${this.metrics.length})…`;
      try {
        got.push(await this.client.request({ type: 'landscapeSummary', metric }));
      } catch (e) {
        status.textContent = `Landscape of ${metric}: ${(e as Error).message}`;
      }
      if (this.summariesFor !== key) return;
      if (performance.now() - drawn > 500 || i === this.metrics.length - 1) {
        drawn = performance.now();
        await this.drawSummaries(got);
      }
    }
    status.textContent = `${got.length} metrics analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s (in the worker). Fitness is oriented: losses negated, so a positive correlation always means "better fitness, better test accuracy".`;
    this.parts.charts.dataset.metrics = String(got.length);
  }

  /** Draws the four summary charts, each in its own task. */
  private async drawSummaries(list: LandscapeSummary[]) {
    const el = this.parts.charts;
    const nextTask = () => new Promise((r) => setTimeout(r, 0));
    if (this.summaryCharts.length === 0) {
      el.innerHTML = '';
      for (let i = 0; i < 4; i++) {
        const div = document.createElement('div');
        div.className = 'chart';
        el.append(div);
        this.summaryCharts.push(makeChart(div));
        await nextTask();
      }
    }
    const names = list.map((s) => s.metric);
    const base = (title: string, yName: string, log = false) => ({
      animation: false,
      title: { text: title, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 60, right: 15, top: 36, bottom: 95 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: 50, fontSize: 10 } },
      // A log axis starting below 1, so a metric with a single optimum still shows a bar.
      yAxis: log
        ? { type: 'log', name: yName, min: 0.5, axisLabel: { formatter: (v: number) => (v < 1 ? '' : String(v)) } }
        : { type: 'value', name: yName, scale: true },
    });
    const [a, b, c, d] = this.summaryCharts;
    a.setOption({ ...base('Local optima per metric (Fig. 2a)', 'optima', true), series: [{ type: 'bar', data: list.map((s) => s.n_optima), itemStyle: { color: '#2563eb' }, label: { show: true, position: 'top', fontSize: 9 } }] }, { notMerge: true });
    await nextTask();
    b.setOption(
      {
        ...base('Test accuracy of the global optima (Fig. 2b)', 'test accuracy (%)'),
        series: [
          { type: 'scatter', name: 'each global optimum', symbolSize: 6, data: list.flatMap((s) => s.global_optima_test_acc.filter((v): v is number => v !== undefined && v !== null).map((v) => [s.metric, v])) },
          { type: 'scatter', name: 'mean', symbol: 'diamond', symbolSize: 11, itemStyle: { color: '#dc2626' }, data: list.map((s) => [s.metric, s.global_optima_mean_test_acc ?? null]) },
        ],
      },
      { notMerge: true },
    );
    await nextTask();
    c.setOption(
      {
        ...base('Rank correlation with test accuracy (Fig. 2c)', 'coefficient'),
        legend: { bottom: 0, data: ['Spearman', 'Kendall'] },
        series: [
          { type: 'bar', name: 'Spearman', data: list.map((s) => s.spearman ?? null), itemStyle: { color: '#7c3aed' } },
          { type: 'bar', name: 'Kendall', data: list.map((s) => s.kendall ?? null), itemStyle: { color: '#c4b5fd' } },
        ],
      },
      { notMerge: true },
    );
    await nextTask();
    d.setOption(
      { ...base(`Top-1% overlap with test accuracy (Fig. 3, of ${list[0]?.top1_k ?? ''})`, 'architectures'), series: [{ type: 'bar', data: list.map((s) => s.top1_overlap), itemStyle: { color: '#059669' } }] },
      { notMerge: true },
    );
  }

  /** The summary charts as figures (first chart), for the experiment view's export. */
  exportSummary(format: 'svg' | 'png'): string | null {
    return this.summaryCharts[0] ? exportChart(this.summaryCharts[0], format) : null;
  }
}
