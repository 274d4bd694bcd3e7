// Which columns of a table a chapter talks about, found from the table's own description (its
// columns and roles), never assumed: test accuracy, the cheap validation accuracy a search may
// use, and a proxy. Also the engine's space map of a column, fetched once per table and column.
import type { SpaceMap, TableInfo } from '../types';
import type { Shell } from '../shell/types';

/** The test-accuracy column (the reported outcome), or null. */
export function testColumn(t: TableInfo): string | null {
  return t.columns.find((c) => c.role === 'test_acc')?.name ?? null;
}

/** The validation accuracy of the cheapest fidelity (12 epochs, hp12 where the table has it), or null. */
export function cheapValColumn(t: TableInfo): string | null {
  const f = t.val_fidelities[0];
  return f === undefined ? null : `val_acc@${f}`;
}

/** The proxy's column, if the table has that proxy. */
export function proxyColumn(t: TableInfo, proxy: string): string | null {
  return t.proxies.includes(proxy) ? `zc:${proxy}` : null;
}

/** The epochs in a training column's name (`test_acc@200` → 200, `val_acc@12@hp12` → 12), or null. */
export function epochsOf(column: string): number | null {
  const m = /@(\d+)/.exec(column);
  return m ? Number(m[1]) : null;
}

/** Whether the table has a column. */
export function hasColumn(t: TableInfo, name: string): boolean {
  return t.columns.some((c) => c.name === name);
}

const maps = new WeakMap<TableInfo, Map<string, Promise<SpaceMap>>>();

/** The engine's map of `column` on the loaded table (asked once per table and column). */
export function spaceMap(shell: Shell, column: string): Promise<SpaceMap> {
  const t = shell.table;
  if (!t) return Promise.reject(new Error('no table is loaded'));
  let m = maps.get(t);
  if (!m) maps.set(t, (m = new Map()));
  let p = m.get(column);
  if (!p) {
    p = shell.client.request({ type: 'spaceMap', metric: column });
    p.catch(() => m!.delete(column));
    m.set(column, p);
  }
  return p;
}

/** Ranks of a map by table key: 1 for the best, and how many cells have a value. */
export function ranker(map: SpaceMap): (key: number) => { rank: number; of: number } | null {
  const indexOf = keyIndex(map.ids);
  let of = 0;
  for (const r of map.rank) if (r !== null && r !== undefined) of++;
  return (key) => {
    const i = indexOf(key);
    const r = i === undefined ? null : map.rank[i];
    return r === null || r === undefined ? null : { rank: r + 1, of };
  };
}

/**
 * The position of each table key in `ids`. NAS-Bench-201's ids are the numbers below 15,625,
 * so a flat array serves (a Map of them took milliseconds per column while a chapter opened);
 * sparse keys get a Map.
 */
function keyIndex(ids: readonly number[]): (key: number) => number | undefined {
  let max = -1;
  for (const k of ids) max = Number.isInteger(k) && k >= 0 ? Math.max(max, k) : Infinity;
  if (max < 16 * ids.length + 1024) {
    const at = new Int32Array(max + 1).fill(-1);
    ids.forEach((k, i) => (at[k] = i));
    return (key) => (Number.isInteger(key) && key >= 0 && key <= max && at[key] >= 0 ? at[key] : undefined);
  }
  const grid = new Map<number, number>();
  ids.forEach((k, i) => grid.set(k, i));
  return (key) => grid.get(key);
}
