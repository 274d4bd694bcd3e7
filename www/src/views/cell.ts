// Cell view: the architecture's DAG (4 nodes, 6 edges) with its operations, and every value
// the table has for it.
import type { ArchInfo } from '../types';
import { makeChart, type Chart } from './charts';

const OP_COLORS: Record<string, string> = {
  none: '#cbd5e1',
  skip_connect: '#64748b',
  nor_conv_1x1: '#2563eb',
  nor_conv_3x3: '#7c3aed',
  avg_pool_3x3: '#059669',
};
const POS: [number, number][] = [
  [0, 50],
  [110, 0],
  [220, 100],
  [330, 50],
];

export class CellView {
  readonly chart: Chart;
  constructor(
    private chartEl: HTMLElement,
    private infoEl: HTMLElement,
  ) {
    this.chart = makeChart(chartEl);
  }

  clear(message: string) {
    this.chart.clear();
    this.infoEl.innerHTML = `<p class="muted">${message}</p>`;
  }

  render(a: ArchInfo) {
    this.chartEl.dataset.arch = String(a.id);
    const nodes = POS.map(([x, y], i) => ({
      name: `n${i}`,
      x,
      y,
      value: i,
      symbolSize: 34,
      label: { show: true, formatter: i === 0 ? 'in' : i === 3 ? 'out' : String(i) },
      itemStyle: { color: i === 0 || i === 3 ? '#0f172a' : '#475569' },
    }));
    const links = a.edges.map((e) => ({
      source: `n${e.from}`,
      target: `n${e.to}`,
      label: { show: true, formatter: e.op.replace('nor_', '').replace('_connect', ''), fontSize: 11, color: OP_COLORS[e.op] ?? '#000' },
      lineStyle: {
        color: OP_COLORS[e.op] ?? '#000',
        width: e.op === 'none' ? 1 : 3,
        type: e.op === 'none' ? 'dashed' : 'solid',
        curveness: 0,
      },
    }));
    this.chart.setOption(
      {
        animation: false,
        title: { text: `arch #${a.id}`, left: 'center', textStyle: { fontSize: 13 } },
        tooltip: {},
        series: [
          {
            type: 'graph',
            layout: 'none',
            roam: false,
            top: 50,
            bottom: 20,
            left: 40,
            right: 40,
            edgeSymbol: ['none', 'arrow'],
            edgeSymbolSize: 9,
            data: nodes,
            links,
            label: { color: '#fff', fontWeight: 'bold' },
            edgeLabel: { show: true },
          },
        ],
      },
      { notMerge: true },
    );
    const rows = a.values
      .map((v) => `<tr><td>${v.name}</td><td class="num">${format(v.value)}${v.unit && v.unit !== '%' ? ` ${v.unit}` : v.unit}</td></tr>`)
      .join('');
    this.infoEl.innerHTML = `<p class="arch-string" data-arch-string="${a.arch_string}"><code>${a.arch_string}</code></p>
      ${a.connected ? '' : '<p class="warn">The output is not connected to the input: this cell computes nothing useful.</p>'}
      <details><summary>${a.values.length} values in the table</summary><table class="values">${rows}</table></details>`;
  }
}

function format(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
  return String(Math.round(v * 10000) / 10000);
}
