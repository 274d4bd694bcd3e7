// The funnel picture's layout: the engine's monotonic local optima network (nodes, edges,
// values, basins, sinks, global optima, funnels) placed with the metric's value on the
// vertical axis, better at the bottom, and each funnel side by side. Only positions are
// computed here; every value, flag and count shown is the engine's.
import type { Funnel, FunnelNode } from '../types';

export interface FunnelSettings {
  /** Draw the optima without a value (artefacts of missing data) in a band of their own. */
  showUnscored: boolean;
}

export interface Placed {
  node: FunnelNode;
  /** Horizontal position, 0..1. */
  x: number;
  /** The funnel (by its bottom's id) the node drains to along its heaviest improving escapes. */
  bottom: number;
}

export interface FunnelLayout {
  nodes: Placed[];
  /** Edges between drawn nodes. */
  edges: Funnel['edges'];
  /** Optima left out (no value) and not drawn. */
  hiddenUnscored: number;
  /** The value axis: smallest and largest value drawn, and whether to use a log scale. */
  domain: [number, number] | null;
  log: boolean;
  /** Smaller values are better (losses): then the smallest is drawn at the bottom. */
  negated: boolean;
}

/** Positions every drawn optimum: funnels side by side, best funnel first, each under its bottom. */
export function layoutFunnel(f: Funnel, s: FunnelSettings): FunnelLayout {
  const drawn = f.nodes.filter((n) => s.showUnscored || n.value !== undefined);
  const byId = new Map(drawn.map((n) => [n.id, n]));
  const edges = f.edges.filter((e) => byId.has(e.source) && byId.has(e.target));
  // Heaviest strictly improving escape out of each node (MLON edges never go to a worse
  // optimum, so "improving" is "to a different value"); ties: the smaller target id.
  const next = new Map<number, { target: number; weight: number }>();
  for (const e of edges) {
    const a = byId.get(e.source)!;
    const b = byId.get(e.target)!;
    if (a.value === b.value) continue;
    const cur = next.get(e.source);
    if (!cur || e.weight > cur.weight || (e.weight === cur.weight && e.target < cur.target)) next.set(e.source, { target: e.target, weight: e.weight });
  }
  const bottomOf = new Map<number, number>();
  const findBottom = (id: number): number => {
    const seen: number[] = [];
    let x = id;
    while (!bottomOf.has(x) && next.has(x) && !seen.includes(x)) {
      seen.push(x);
      x = next.get(x)!.target;
    }
    const bottom = bottomOf.get(x) ?? x;
    for (const y of seen) bottomOf.set(y, bottom);
    bottomOf.set(x, bottom);
    return bottom;
  };
  for (const n of drawn) findBottom(n.id);
  // Better first: larger values, or smaller ones for losses; unscored last.
  const better = (a: FunnelNode, b: FunnelNode) => {
    if (a.value === undefined || b.value === undefined) return (a.value === undefined ? 1 : 0) - (b.value === undefined ? 1 : 0) || a.id - b.id;
    return (f.negated ? a.value - b.value : b.value - a.value) || a.id - b.id;
  };
  const groups = new Map<number, FunnelNode[]>();
  for (const n of [...drawn].sort(better)) {
    const g = bottomOf.get(n.id)!;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push(n);
  }
  // Funnels ordered by their bottom, best first; each gets width by the square root of its size.
  const order = [...groups.keys()].sort((a, b) => better(byId.get(a)!, byId.get(b)!));
  const widths = order.map((g) => Math.sqrt(groups.get(g)!.length));
  const total = widths.reduce((a, b) => a + b, 0) || 1;
  const outs = new Map<number, Funnel['edges']>();
  for (const e of edges) {
    if (!outs.has(e.source)) outs.set(e.source, []);
    outs.get(e.source)!.push(e);
  }
  const x = new Map<number, number>();
  let left = 0;
  order.forEach((g, i) => {
    const w = widths[i] / total;
    const members = groups.get(g)!;
    x.set(g, left + w / 2);
    // Best to worst: a node sits under the weighted mean of where its escapes lead.
    for (const n of members) {
      if (x.has(n.id)) continue;
      let sum = 0;
      let weight = 0;
      for (const e of outs.get(n.id) ?? []) {
        if (x.has(e.target) && bottomOf.get(e.target) === g) {
          sum += e.weight * x.get(e.target)!;
          weight += e.weight;
        }
      }
      x.set(n.id, weight ? sum / weight : left + w / 2);
    }
    spread(members, x, left, left + w);
    left += w;
  });
  const values = drawn.map((n) => n.value).filter((v): v is number => v !== undefined);
  const domain: [number, number] | null = values.length ? [Math.min(...values), Math.max(...values)] : null;
  const log = domain !== null && domain[0] > 0 && domain[1] / domain[0] > 1000;
  return {
    nodes: drawn.map((n) => ({ node: n, x: x.get(n.id)!, bottom: bottomOf.get(n.id)! })),
    edges,
    hiddenUnscored: f.nodes.length - drawn.length,
    domain,
    log,
    negated: f.negated,
  };
}

/**
 * Pushes apart nodes of one funnel that share a value band (so equal values do not hide
 * each other), keeping them inside [left, right] and in their order.
 */
function spread(members: FunnelNode[], x: Map<number, number>, left: number, right: number) {
  const bands = new Map<string, FunnelNode[]>();
  for (const n of members) {
    const k = n.value === undefined ? 'none' : n.value.toPrecision(3);
    if (!bands.has(k)) bands.set(k, []);
    bands.get(k)!.push(n);
  }
  for (const band of bands.values()) {
    if (band.length < 2) continue;
    band.sort((a, b) => x.get(a.id)! - x.get(b.id)! || a.id - b.id);
    const step = (right - left) / (band.length + 1);
    const centre = band.reduce((s, n) => s + x.get(n.id)!, 0) / band.length;
    const width = step * (band.length - 1);
    const start = Math.min(Math.max(centre - width / 2, left + step), right - step - width);
    band.forEach((n, i) => x.set(n.id, start + i * step));
  }
}
