// How large lists of records (a network's nodes and edges, a funnel's) travel from the engine
// worker to the page. Sent as they are (an object per node and per edge), a 731-node network
// with its 5,000 heaviest edges took the main thread 45 ms of CPU (130 ms on a busy machine)
// just to unpack the message, one long task: the browser copies an array of numbers in one
// block but rebuilds objects property by property. So the worker sends columns (typed arrays)
// and the page rebuilds the objects, which is quick.

/** Rows of records as columns: row i of every column is record i. */
export interface Columns {
  length: number;
  /** The records' keys in their order (exports write them as they come). */
  keys: string[];
  /**
   * A column per key: numbers as a Float64Array (NaN where the record has no value), booleans
   * as a Uint8Array, anything else as it is (undefined where the record lacks the key).
   */
  columns: (Float64Array | Uint8Array | unknown[])[];
}

/** An object whose listed record lists travel in columns; its other fields travel as they are. */
export interface Packed {
  keys: string[];
  plain: Record<string, unknown>;
  tables: Record<string, Columns>;
}

/** The replies whose record lists travel in columns, and which lists. */
export const COLUMNAR: Partial<Record<string, readonly string[]>> = {
  landscape: ['nodes', 'edges'],
  funnel: ['nodes', 'edges'],
};

function isNumberOrAbsent(v: unknown) {
  return v === undefined || v === null || (typeof v === 'number' && !Number.isNaN(v));
}

export function packRows(rows: readonly Record<string, unknown>[]): Columns {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const columns = keys.map((k) => {
    const values = rows.map((r) => r[k]);
    // A column of numbers and absences becomes a Float64Array (a missing value as NaN, so a
    // NaN of its own would not survive: such a column travels as it is).
    if (values.some((v) => typeof v === 'number') && values.every(isNumberOrAbsent)) return Float64Array.from(values, (v) => (v === undefined || v === null ? NaN : (v as number)));
    if (values.every((v) => typeof v === 'boolean')) return Uint8Array.from(values, (v) => (v ? 1 : 0));
    return values;
  });
  return { length: rows.length, keys, columns };
}

export function unpackRows(c: Columns): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(c.length);
  const kinds = c.columns.map((col) => (col instanceof Float64Array ? 0 : col instanceof Uint8Array ? 1 : 2));
  for (let i = 0; i < c.length; i++) {
    const row: Record<string, unknown> = {};
    for (let k = 0; k < c.keys.length; k++) {
      const v = c.columns[k][i];
      if (kinds[k] === 0) row[c.keys[k]] = Number.isNaN(v) ? undefined : v;
      else if (kinds[k] === 1) row[c.keys[k]] = v === 1;
      else if (v !== undefined) row[c.keys[k]] = v;
    }
    rows[i] = row;
  }
  return rows;
}

export function pack(obj: object, lists: readonly string[]): Packed {
  const plain: Record<string, unknown> = {};
  const tables: Record<string, Columns> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (lists.includes(k) && Array.isArray(v)) tables[k] = packRows(v);
    else plain[k] = v;
  }
  return { keys: Object.keys(obj), plain, tables };
}

export function unpack<T>(p: Packed): T {
  const out: Record<string, unknown> = {};
  for (const k of p.keys) out[k] = k in p.tables ? unpackRows(p.tables[k]) : p.plain[k];
  return out as T;
}
