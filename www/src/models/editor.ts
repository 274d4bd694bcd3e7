// The cell editor's model: an NB201 cell as six edge operations, editing one edge, the arch
// string the engine reads, the keyboard keys of the editable diagram, and what the engine's
// cell landscape says in sentences. Words and arithmetic only; every number comes from the
// engine.
import type { CellLandscape, CellPoint } from '../types';

/** NB201's operations in id order (the order of the engine's `OP_NAMES`). */
export const OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Op = (typeof OPS)[number];

/** The six edges (from node, to node) in arch-string order. */
export const EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

const NODE_NAMES = ['in', '1', '2', 'out'];

/** "in→1" for edge `position`. */
export function edgeName(position: number): string {
  const [a, b] = EDGES[position];
  return `${NODE_NAMES[a]}→${NODE_NAMES[b]}`;
}

/** The six operations of an NB201 arch string (`|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`); null if it is not one. */
export function opsOf(archString: string): Op[] | null {
  const m = /^\|([a-z_0-9]+)~0\|\+\|([a-z_0-9]+)~0\|([a-z_0-9]+)~1\|\+\|([a-z_0-9]+)~0\|([a-z_0-9]+)~1\|([a-z_0-9]+)~2\|$/.exec(archString.trim());
  if (!m) return null;
  const ops = m.slice(1) as Op[];
  return ops.every((o) => (OPS as readonly string[]).includes(o)) ? ops : null;
}

/** The arch string of six operations (arch-string order). */
export function archStringOf(ops: readonly Op[]): string {
  return `|${ops[0]}~0|+|${ops[1]}~0|${ops[2]}~1|+|${ops[3]}~0|${ops[4]}~1|${ops[5]}~2|`;
}

/** The cell with edge `position` set to `op`. */
export function withOp(ops: readonly Op[], position: number, op: Op): Op[] {
  const out = [...ops];
  out[position] = op;
  return out;
}

/** The positions where two cells differ. */
export function changedEdges(a: readonly Op[], b: readonly Op[]): number[] {
  return a.flatMap((op, i) => (op === b[i] ? [] : [i]));
}

/** Whether the output is reachable from the input through edges that compute (not `none`). */
export function connected(ops: readonly Op[]): boolean {
  const reach = [true, false, false, false];
  EDGES.forEach(([a, b], i) => {
    if (reach[a] && ops[i] !== 'none') reach[b] = true;
  });
  return reach[3];
}

/** What a key pressed on a focused edge of the editable diagram does. */
export type EdgeKey =
  | { kind: 'focus'; position: number }
  | { kind: 'set'; op: Op }
  | { kind: 'menu' }
  | null;

/**
 * The diagram's keyboard: ← → (and Home/End) move between the six edges, ↑ ↓ step the
 * focused edge's operation, digits 1–5 choose an operation directly, Enter or Space opens
 * the operation menu.
 */
export function edgeKey(key: string, position: number, op: Op): EdgeKey {
  const i = OPS.indexOf(op);
  switch (key) {
    case 'ArrowRight':
      return { kind: 'focus', position: (position + 1) % EDGES.length };
    case 'ArrowLeft':
      return { kind: 'focus', position: (position + EDGES.length - 1) % EDGES.length };
    case 'Home':
      return { kind: 'focus', position: 0 };
    case 'End':
      return { kind: 'focus', position: EDGES.length - 1 };
    case 'ArrowDown':
      return { kind: 'set', op: OPS[(i + 1) % OPS.length] };
    case 'ArrowUp':
      return { kind: 'set', op: OPS[(i + OPS.length - 1) % OPS.length] };
    case 'Enter':
    case ' ':
      return { kind: 'menu' };
    default:
      if (/^[1-5]$/.test(key)) return { kind: 'set', op: OPS[Number(key) - 1] };
      return null;
  }
}

/** "rank 12 of 15,625" (0-based ranks shown from 1), or why there is none. */
export function rankText(p: CellPoint, nScored: number): string {
  if (p.rank === null || p.rank === undefined) return 'no value in the table';
  return `rank ${(p.rank + 1).toLocaleString('en')} of ${nScored.toLocaleString('en')}`;
}

/** The share of scored cells that rank strictly better, as "top 0.8 %". */
export function topShare(p: CellPoint, nScored: number): string | null {
  if (p.rank === null || p.rank === undefined || nScored === 0) return null;
  const pct = (100 * (p.rank + 1)) / nScored;
  return `top ${pct < 1 ? pct.toFixed(2) : pct < 10 ? pct.toFixed(1) : Math.round(pct)} %`;
}

/** How the neighbours compare with the cell: how many are better, and whether it is an optimum. */
export function neighbourSummary(c: CellLandscape): { better: number; total: number; optimum: boolean } {
  const better = c.neighbours.filter((n) => n.better).length;
  return { better, total: c.neighbours.length, optimum: c.climb.length === 1 };
}

/** The climb as steps: each cell with the edge that changed to reach it (none for the start). */
export function climbSteps(c: CellLandscape): { cell: CellPoint; changed: number[] }[] {
  return c.climb.map((cell, i) => {
    if (i === 0) return { cell, changed: [] };
    const a = opsOf(c.climb[i - 1].arch_string);
    const b = opsOf(cell.arch_string);
    return { cell, changed: a && b ? changedEdges(a, b) : [] };
  });
}
