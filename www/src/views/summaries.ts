// The landscape summary of every metric of a table, as the paper's Figs. 2 and 3: optima per
// metric, test accuracy of the global optima, rank correlation with test accuracy, top-1 %
// overlap. All numbers come from the engine (one request per metric, in the worker); the four
// charts are SVG with one row per metric (names read across, not turned), redrawn at most
// every half second while the worker analyses.
import type { LandscapeSummary, TableInfo } from '../types';
import type { EngineClient } from '../worker/client';
import { type Row, type RowChartOptions, rowChartSvg } from './rowchart';
import { onPresenting, scale } from '../shell/present';
import { escapeHtml } from '../html';

const BLUE = '#2563eb';
const RED = '#b91c1c';
const VIOLET = '#7c3aed';
const LILAC = '#a78bfa';
const GREEN = '#059669';

export class LandscapeSummaries {
  private metrics: string[] = [];
  private summariesFor = '';
  /** The summaries drawn last (redrawn when the width or presentation mode changes). */
  private list: LandscapeSummary[] = [];

  constructor(
    private client: EngineClient,
    private parts: {
      charts: HTMLElement;
      chartsStatus: HTMLElement;
      onError: (text: string) => void;
      /**
       * While an experiment the person started runs: a promise that resolves when it is done,
       * so that the next metric waits for it (the worker serves one request at a time, and an
       * analysis between an experiment's slices would slow the experiment down). Null when
       * nothing runs.
       */
      idle?: () => Promise<void> | null;
    },
  ) {
    let width = 0;
    new ResizeObserver(() => parts.charts.clientWidth !== width && ((width = parts.charts.clientWidth), this.draw())).observe(parts.charts);
    onPresenting(() => this.draw());
  }

  /** A new table: list the metrics it can analyse (then `summaries()` draws them). */
  setTable(info: TableInfo, onMetrics: (metrics: string[]) => void) {
    this.summariesFor = '';
    this.metrics = [];
    this.list = [];
    this.draw();
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
      const experiment = this.parts.idle?.();
      if (experiment) {
        status.textContent = `The landscape analysis goes on when the experiment is done (${i} of ${this.metrics.length} metrics analysed).`;
        await experiment;
        if (this.summariesFor !== key) return;
      }
      status.textContent = `Analysing the landscape of ${metric} (${i + 1} of ${this.metrics.length})…`;
      try {
        got.push(await this.client.request({ type: 'landscapeSummary', metric }));
      } catch (e) {
        status.textContent = `Landscape of ${metric}: ${(e as Error).message}`;
      }
      if (this.summariesFor !== key) return;
      if (performance.now() - drawn > 500 || i === this.metrics.length - 1) {
        drawn = performance.now();
        this.drawSummaries(got);
      }
    }
    status.textContent = `${got.length} metrics analysed in ${((performance.now() - t0) / 1000).toFixed(1)} s (in the worker). Fitness is oriented: losses negated, so a positive correlation always means "better fitness, better test accuracy".`;
    this.parts.charts.dataset.metrics = String(got.length);
  }

  /** The four charts of `list` (one row per metric), each with its title. */
  static charts(list: readonly LandscapeSummary[], width: number, k = 1): { title: string; svg: string }[] {
    const rows = (marks: (s: LandscapeSummary) => Row['marks']): Row[] => list.map((s) => ({ name: s.metric, marks: marks(s) }));
    const chart = (r: Row[], o: Omit<RowChartOptions, 'width' | 'k'>) => ({ title: o.title, svg: rowChartSvg(r, { ...o, width, k }) });
    return [
      chart(
        rows((s) => [{ kind: 'bar', value: s.n_optima, color: BLUE, text: String(s.n_optima) }]),
        { title: 'Local optima per metric (Fig. 2a)', axis: { name: 'local optima (log scale)', log: true, min: 1 } },
      ),
      chart(
        rows((s) => [
          ...s.global_optima_test_acc.filter((v): v is number => typeof v === 'number').map((v) => ({ kind: 'dot' as const, value: v, color: BLUE, series: 'a global optimum' })),
          { kind: 'diamond', value: s.global_optima_mean_test_acc, color: RED, series: 'mean' },
        ]),
        {
          title: 'Test accuracy of the global optima (Fig. 2b)',
          axis: { name: 'test accuracy (%)' },
          key: [
            { kind: 'dot', color: BLUE, text: 'each global optimum' },
            { kind: 'diamond', color: RED, text: 'their mean' },
          ],
        },
      ),
      chart(
        rows((s) => [
          { kind: 'bar', value: s.spearman, color: VIOLET, series: 'Spearman' },
          { kind: 'bar', value: s.kendall, color: LILAC, series: 'Kendall' },
        ]),
        {
          title: 'Rank correlation with test accuracy (Fig. 2c)',
          axis: { name: 'coefficient', min: -1, max: 1 },
          key: [
            { kind: 'bar', color: VIOLET, text: 'Spearman' },
            { kind: 'bar', color: LILAC, text: 'Kendall' },
          ],
        },
      ),
      chart(
        rows((s) => [{ kind: 'bar', value: s.top1_overlap, color: GREEN, text: String(s.top1_overlap) }]),
        { title: `Top-1% overlap with test accuracy (Fig. 3, of ${list[0]?.top1_k ?? ''})`, axis: { name: 'architectures in both top 1 %', min: 0 } },
      ),
    ];
  }

  private drawSummaries(list: LandscapeSummary[]) {
    this.list = list;
    this.draw();
  }

  private draw() {
    const el = this.parts.charts;
    if (!this.list.length) {
      el.replaceChildren();
      return;
    }
    // One column at a time: each chart is as wide as a column of the grid.
    const columns = getComputedStyle(el).gridTemplateColumns.split(' ').filter(Boolean).length || 1;
    const gap = 8;
    const width = Math.floor((el.clientWidth - gap * (columns - 1)) / columns);
    const charts = LandscapeSummaries.charts(this.list, Math.max(width, 220), scale());
    el.innerHTML = charts.map((c) => `<div class="chart rowchart" role="img" aria-label="${escapeHtml(c.title)}: one row per metric">${c.svg}</div>`).join('');
  }
}
