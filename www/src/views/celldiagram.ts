// A small SVG drawing of an NB201 cell: 4 nodes, 6 edges, each edge's operation as a
// labelled, coloured and dashed line (so colour is not the only cue); chosen edges are
// highlighted (the step inspector's changed edge).
import type { CellEdge } from '../types';
import { OP_SHORT, OP_STYLE, svg } from './figure';

/** Node positions (percent of width and height): input left, 1 up, 2 down, output right. */
const NODE: [number, number][] = [
  [8, 58],
  [36, 34],
  [64, 82],
  [92, 58],
];
const NODE_LABEL = ['in', '1', '2', 'out'];
let instances = 0;

/** The cell with `edges` (arch-string order); edges at `highlight` positions stand out. */
export function cellDiagram(edges: readonly CellEdge[], highlight: readonly number[] = [], title = ''): SVGSVGElement {
  const id = `cd${++instances}`;
  const W = 240;
  const H = 150;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'cell-diagram', role: 'img' });
  root.setAttribute('aria-label', title || `cell: ${edges.map((e) => `${e.from}→${e.to} ${OP_SHORT[e.op] ?? e.op}`).join(', ')}`);
  const px = ([x, y]: [number, number]): [number, number] => [(x / 100) * W, (y / 100) * H];
  const defs = svg('defs');
  for (const [op, style] of Object.entries(OP_STYLE)) {
    const m = svg('marker', { id: `${id}-${op}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 5, markerHeight: 5, orient: 'auto-start-reverse' });
    m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: style.color }));
    defs.append(m);
  }
  root.append(defs);
  const r = 11;
  edges.forEach((e, i) => {
    const [x1, y1] = px(NODE[e.from]);
    const [x2, y2] = px(NODE[e.to]);
    // The direct edge in→out arcs over the cell so that it crosses nothing.
    const direct = e.from === 0 && e.to === 3;
    const [cx, cy] = direct ? [(x1 + x2) / 2, -0.32 * H] : [(x1 + x2) / 2, (y1 + y2) / 2];
    // Shorten both ends by the node radius along the tangent.
    const cut = (ax: number, ay: number, bx: number, by: number) => {
      const d = Math.hypot(bx - ax, by - ay) || 1;
      return [ax + ((bx - ax) * r) / d, ay + ((by - ay) * r) / d];
    };
    const [sx, sy] = cut(x1, y1, cx, cy);
    const [tx, ty] = cut(x2, y2, cx, cy);
    const d = `M${sx},${sy} Q${cx},${cy} ${tx},${ty}`;
    const style = OP_STYLE[e.op] ?? { color: '#000', dash: '' };
    const hot = highlight.includes(i);
    const g = svg('g', { class: `cd-edge${hot ? ' changed' : ''}`, 'data-position': i, 'data-op': e.op });
    if (hot) g.append(svg('path', { d, fill: 'none', stroke: '#fbbf24', 'stroke-width': 11, 'stroke-linecap': 'round', opacity: 0.75 }));
    g.append(svg('path', { d, fill: 'none', stroke: style.color, 'stroke-width': hot ? 3.5 : 2, 'stroke-dasharray': style.dash, 'marker-end': `url(#${id}-${e.op})` }));
    // Label at the curve's midpoint.
    const lx = 0.25 * sx + 0.5 * cx + 0.25 * tx;
    const ly = 0.25 * sy + 0.5 * cy + 0.25 * ty;
    const label = svg('text', { x: lx, y: ly + 4, 'text-anchor': 'middle', class: 'cd-op', 'font-weight': hot ? 700 : 400 }, OP_SHORT[e.op] ?? e.op);
    g.append(label);
    root.append(g);
  });
  NODE.forEach((p, i) => {
    const [x, y] = px(p);
    root.append(svg('circle', { cx: x, cy: y, r, class: 'cd-node' }));
    root.append(svg('text', { x, y: y + 4, 'text-anchor': 'middle', class: 'cd-node-label' }, NODE_LABEL[i]));
  });
  return root;
}
