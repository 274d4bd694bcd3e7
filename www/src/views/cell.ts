// Cell view: the architecture's DAG (4 nodes, 6 edges) with its operations, drawn as SVG (crisp
// at any size, text a screen reader can read, no chart library on the first view), and every
// value the table has for it.
import type { ArchInfo } from '../types';
import type { Shell } from '../shell/types';
import { escapeHtml } from '../html';

/** Opens the cell editor view on cell `id` (what every cell panel's "Edit this cell" does). */
export function openEditor(shell: Shell, id: number) {
  shell.set({ view: 'cell', extra: { ...shell.state.extra, cell: String(id) } });
}

/** Operation colours (Okabe–Ito) and dash patterns, so operations differ by more than colour. */
const OPS: Record<string, { color: string; dash: string; label: string }> = {
  none: { color: '#94a3b8', dash: '4 4', label: 'none' },
  skip_connect: { color: '#000000', dash: '10 4 2 4', label: 'skip' },
  nor_conv_1x1: { color: '#0072B2', dash: '', label: 'conv 1×1' },
  nor_conv_3x3: { color: '#CC79A7', dash: '', label: 'conv 3×3' },
  avg_pool_3x3: { color: '#009E73', dash: '2 3', label: 'avg pool' },
};
const POS: [number, number][] = [
  [40, 95],
  [165, 35],
  [290, 155],
  [415, 95],
];
const R = 20;
const NODE_NAMES = ['in', '1', '2', 'out'];

export class CellView {
  /** "Edit this cell": when set, each shown cell gets a button that calls it with the cell's id. */
  onEdit: ((id: number) => void) | null = null;

  constructor(
    private chartEl: HTMLElement,
    private infoEl: HTMLElement,
  ) {
    infoEl.addEventListener('click', (ev) => {
      const b = (ev.target as Element).closest<HTMLElement>('button.edit-cell');
      if (b && this.onEdit) this.onEdit(Number(b.dataset.id));
    });
  }

  clear(message: string) {
    delete this.chartEl.dataset.arch;
    this.chartEl.innerHTML = '';
    this.infoEl.innerHTML = `<p class="muted">${escapeHtml(message)}</p>`;
  }

  render(a: ArchInfo) {
    this.chartEl.dataset.arch = String(a.id);
    this.chartEl.innerHTML = cellSvg(a);
    const rows = a.values
      .map((v) => `<tr><td>${escapeHtml(v.name)}</td><td class="num">${format(v.value)}${v.unit && v.unit !== '%' ? ` ${escapeHtml(v.unit)}` : escapeHtml(v.unit)}</td></tr>`)
      .join('');
    const edit = this.onEdit && a.edges.length === 6 ? `<button type="button" class="edit-cell" data-id="${a.id}">✎ Edit this cell</button>` : '';
    this.infoEl.innerHTML = `<p class="arch-string" data-arch-string="${escapeHtml(a.arch_string)}"><code>${escapeHtml(a.arch_string)}</code></p>${edit}
      ${a.connected ? '' : '<p class="warn">The output is not connected to the input: this cell computes nothing useful.</p>'}
      <details><summary>${a.values.length} values in the table</summary><table class="values"><caption class="visually-hidden">Every value the table has for arch #${a.id}</caption>${rows}</table></details>`;
  }
}

/** The cell as a standalone SVG: edges with their operations, labelled, then the nodes. */
export function cellSvg(a: ArchInfo): string {
  const edges = a.edges.map((e, i) => {
    const op = OPS[e.op] ?? { color: '#000', dash: '', label: e.op };
    const [x1, y1] = POS[e.from];
    const [x2, y2] = POS[e.to];
    // The two edges that skip a node bend (in→2 below, 1→out above) so that no label sits on
    // another edge.
    const bend = e.to - e.from === 2 ? (e.from === 0 ? 40 : -40) : 0;
    const mx = (x1 + x2) / 2;
    const my = (y1 + y2) / 2;
    // A quadratic curve through (mx, my + bend) has its control point at twice the bend.
    const d = bend === 0 ? `M${x1},${y1} L${x2},${y2}` : `M${x1},${y1} Q${mx},${my + 2 * bend} ${x2},${y2}`;
    // A straight edge's label sits before its middle, clear of the arrowhead; in→out and 1→2
    // cross at the middle, so in→out's label goes a quarter of the way along.
    const t = bend !== 0 ? 0.5 : e.from === 0 && e.to === 3 ? 0.25 : 0.38;
    const lx = x1 + t * (x2 - x1);
    const ly = (bend !== 0 ? my + bend : y1 + t * (y2 - y1)) - 6;
    return `<g class="edge" data-op="${escapeHtml(e.op)}"><title>edge ${i + 1}: node ${NODE_NAMES[e.from]} → node ${NODE_NAMES[e.to]}: ${escapeHtml(e.op)}</title>
      <path d="${d}" fill="none" stroke="${op.color}" stroke-width="${e.op === 'none' ? 1.5 : 3}" stroke-dasharray="${op.dash}" marker-end="url(#arrow-${e.op === 'none' ? 'none' : 'op'})"/>
      <text x="${lx}" y="${ly}" text-anchor="middle" font-size="15" fill="${e.op === 'none' ? '#475569' : '#0f172a'}" paint-order="stroke" stroke="#fff" stroke-width="4">${escapeHtml(op.label)}</text></g>`;
  });
  const nodes = POS.map(
    ([x, y], i) =>
      `<g class="node"><circle cx="${x}" cy="${y}" r="${R}" fill="${i === 0 || i === 3 ? '#0f172a' : '#475569'}"/><text x="${x}" y="${y + 5}" text-anchor="middle" font-size="15" font-weight="700" fill="#fff">${NODE_NAMES[i]}</text></g>`,
  );
  const summary = a.edges.map((e) => `${NODE_NAMES[e.from]}→${NODE_NAMES[e.to]} ${OPS[e.op]?.label ?? e.op}`).join(', ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 455 200" width="100%" height="100%" role="img" aria-label="Cell of arch #${a.id}: ${escapeHtml(summary)}" font-family="system-ui, sans-serif">
    <defs>
      <marker id="arrow-op" viewBox="0 0 10 10" refX="${10 + R / 2.2}" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#334155"/></marker>
      <marker id="arrow-none" viewBox="0 0 10 10" refX="${10 + R / 1.5}" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#94a3b8"/></marker>
    </defs>
    <text x="227" y="16" text-anchor="middle" font-size="16" font-weight="600" fill="#0f172a">arch #${a.id}</text>
    <g transform="translate(0,10)">${edges.join('')}${nodes.join('')}</g></svg>`;
}

function format(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
  return String(Math.round(v * 10000) / 10000);
}
