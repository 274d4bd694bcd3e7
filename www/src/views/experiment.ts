// Experiment view: N seeds of several algorithms run in the worker, the summary table beside
// the paper's numbers (SPEC §7), and the spread of test accuracy per algorithm.
import type { Algo, ExperimentEntry, PaperResult } from '../types';
import { ALGOS } from '../config';
import { makeChart, type Chart } from './charts';
import { escapeHtml } from '../html';

export class ExperimentView {
  readonly chart: Chart;
  constructor(
    private tableEl: HTMLElement,
    chartEl: HTMLElement,
    private progressEl: HTMLProgressElement,
    private progressText: HTMLElement,
  ) {
    this.chart = makeChart(chartEl);
  }

  progress(done: number, total: number, ms: number | null) {
    this.progressEl.max = Math.max(total, 1);
    this.progressEl.value = done;
    this.progressText.textContent =
      ms === null ? `${done.toLocaleString('en')} / ${total.toLocaleString('en')} runs` : `${total.toLocaleString('en')} runs in ${(ms / 1000).toFixed(2)} s (in the worker)`;
  }

  clear(message: string) {
    this.tableEl.innerHTML = `<p class="muted">${message}</p>`;
    this.chart.clear();
  }

  render(entries: ExperimentEntry[], paper: PaperResult[], dataset: string, seconds: number | null) {
    const pub = (algo: Algo) => paper.find((p) => p.algo === algo && p.dataset === dataset);
    const optimum = paper.find((p) => p.algo === 'optimum' && p.dataset === dataset);
    const rows = entries
      .map((e) => {
        const s = e.summary;
        const p = pub(e.algo);
        const delta = p ? s.mean - p.mean : null;
        return `<tr data-algo="${e.algo}">
          <th title="${escapeHtml(s.label)}">${ALGOS[e.algo]}</th>
          <td class="num ours">${s.mean.toFixed(2)} ± ${s.std.toFixed(2)}</td>
          <td class="num paper">${p ? `${p.mean.toFixed(2)} ± ${(p.std ?? 0).toFixed(2)}` : '—'}</td>
          <td class="num">${delta === null ? '—' : `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}`}</td>
          <td class="num">${Math.round(s.cost_s).toLocaleString('en')}</td>
          <td class="num">${s.epochs.toFixed(0)}</td>
          <td class="num">${s.evals.toFixed(0)}</td>
          <td class="num">${s.runs}${s.missing_test ? ` (${s.missing_test} without test acc)` : ''}</td></tr>`;
      })
      .join('');
    const first = entries[0]?.summary;
    this.tableEl.innerHTML = `<table class="results">
      <caption>Test accuracy (%), mean ± population std over seeds ${first?.seed_start ?? 1}–${(first?.seed_start ?? 1) + (first?.runs ?? 1) - 1}, on ${escapeHtml(first?.table ?? dataset)}${seconds !== null ? ` · ${seconds.toFixed(2)} s in the worker` : ''}</caption>
      <thead><tr><th>algorithm</th><th>ours</th><th>paper</th><th>Δ</th><th>cost (s)</th><th>epochs</th><th>evals</th><th>runs</th></tr></thead>
      <tbody>${rows}</tbody>
      ${optimum ? `<tfoot><tr><th>benchmark optimum (paper)</th><td></td><td class="num">${optimum.mean.toFixed(2)}</td><td colspan="5"></td></tr></tfoot>` : ''}
      </table>
      ${paper.some((p) => p.dataset === dataset) ? '' : `<p class="muted">The paper publishes no numbers for ${escapeHtml(dataset)}.</p>`}
      ${first?.ladder.length ? `<p class="muted">SH ladder: ${first.ladder.map(escapeHtml).join(' → ')}</p>` : ''}`;
    const names = entries.map((e) => ALGOS[e.algo]);
    // The chart in its own task, after the table is on screen (no long task on the main thread).
    setTimeout(() => this.drawChart(entries, names, pub), 0);
  }

  private drawChart(entries: ExperimentEntry[], names: string[], pub: (algo: Algo) => PaperResult | undefined) {
    this.chart.setOption(
      {
        animation: false,
        title: { text: 'Test accuracy of the returned architecture', left: 'center', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item' },
        legend: { bottom: 0, data: ['ours', 'paper mean'] },
        dataset: [
          { source: entries.map((e) => e.outcomes.map((o) => o.test_acc).filter((v): v is number => v !== undefined)) },
          { fromDatasetIndex: 0, transform: { type: 'boxplot', config: { itemNameFormatter: (p: { value: number }) => names[p.value] } } },
          { fromDatasetIndex: 1, fromTransformResult: 1 },
        ],
        grid: { left: 60, right: 20, top: 40, bottom: 70 },
        xAxis: { type: 'category', axisLabel: { interval: 0, rotate: names.length > 5 ? 20 : 0 } },
        yAxis: { type: 'value', scale: true, name: 'test accuracy (%)' },
        series: [
          { name: 'ours', type: 'boxplot', datasetIndex: 1, itemStyle: { color: '#dbeafe', borderColor: '#2563eb' } },
          { name: 'outliers', type: 'scatter', datasetIndex: 2, symbolSize: 4, itemStyle: { color: '#2563eb', opacity: 0.5 } },
          {
            name: 'paper mean',
            type: 'scatter',
            symbol: 'diamond',
            symbolSize: 12,
            itemStyle: { color: '#dc2626' },
            data: entries.map((e) => [ALGOS[e.algo], pub(e.algo)?.mean ?? null]).filter((d) => d[1] !== null),
          },
        ],
      },
      { notMerge: true },
    );
  }
}

export { escapeHtml };
