// Experiment view: N seeds of several algorithms run in the worker, the summary table beside
// the paper's numbers, and the spread of test accuracy per algorithm (a box plot).
import type { Algo, ExperimentEntry, PaperResult } from '../types';
import { ALGOS } from '../config';
import { escapeHtml } from '../html';
import { type BoxGroup, boxplotHeight, boxplotSvg, svgToPng } from './boxplot';
import { onPresenting, scale } from '../shell/present';

const BOX_TITLE = 'Test accuracy of the returned architecture';

export class ExperimentView {
  /** The box plot's groups (empty: nothing to draw). */
  private groups: BoxGroup[] = [];

  constructor(
    private tableEl: HTMLElement,
    private chartEl: HTMLElement,
    private progressEl: HTMLProgressElement,
    private progressText: HTMLElement,
    /** Said in the chart's place while it has nothing to draw (optional). */
    private chartNote: HTMLElement | null = null,
  ) {
    chartEl.classList.add('boxplot');
    // Redrawn when the width changes (the height follows the number of algorithms).
    let width = 0;
    new ResizeObserver(() => chartEl.clientWidth !== width && ((width = chartEl.clientWidth), this.drawChart())).observe(chartEl);
    onPresenting(() => this.drawChart());
  }

  progress(done: number, total: number, ms: number | null) {
    this.progressEl.max = Math.max(total, 1);
    this.progressEl.value = done;
    this.progressText.textContent =
      ms === null ? `${done.toLocaleString('en')} / ${total.toLocaleString('en')} runs` : `${total.toLocaleString('en')} runs in ${(ms / 1000).toFixed(2)} s (in the worker)`;
  }

  clear(message: string) {
    this.tableEl.innerHTML = `<p class="muted">${message}</p>`;
    this.groups = [];
    this.drawChart();
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
    this.groups = entries.map((e) => ({
      name: ALGOS[e.algo],
      values: e.outcomes.map((o) => o.test_acc).filter((v): v is number => v !== undefined),
      paper: pub(e.algo)?.mean,
    }));
    this.drawChart();
  }

  private svg(width: number): string {
    const k = scale();
    return boxplotSvg(this.groups, { width, height: boxplotHeight(this.groups.length, k), k, title: BOX_TITLE, yName: 'test accuracy of the returned cell (%)' });
  }

  private drawChart() {
    if (this.chartNote) this.chartNote.hidden = this.groups.length > 0;
    const w = this.chartEl.clientWidth;
    this.chartEl.innerHTML = this.groups.length && w > 0 ? this.svg(w) : '';
  }

  /** The box plot as a figure: SVG text or a PNG data URL, as wide as it is on the page. */
  async figure(format: 'svg' | 'png'): Promise<string> {
    const w = Math.max(this.chartEl.clientWidth, 480);
    const svg = this.svg(w);
    return format === 'svg' ? svg : svgToPng(svg, w, boxplotHeight(this.groups.length, scale()));
  }
}

export { escapeHtml };
