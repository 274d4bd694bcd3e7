// The cell a lab panel works on, and how the page's cell data becomes one.
import type { ArchInfo } from '../types';

export interface LabCell {
  /** The NB201 arch string (`|nor_conv_3x3~0|+|…|`). */
  archString: string;
  /** The NB201 index, when known. */
  index?: number;
  /** Values the loaded table publishes for the cell, by column name (`zc:synflow`, …). */
  published?: Record<string, number>;
  /** The table's title ("NB201 cifar10"), for the labels. */
  tableTitle?: string;
}

/** The lab cell of an NB201 cell the engine described (its id is the NB201 index). */
export function labCell(a: Pick<ArchInfo, 'arch_string' | 'id' | 'values'>, tableTitle?: string): LabCell {
  return {
    archString: a.arch_string,
    index: a.id,
    published: Object.fromEntries(a.values.map((v) => [v.name, v.value])),
    tableTitle,
  };
}

/** A number with `digits` significant digits, without exponent noise for everyday sizes. */
export function fmt(v: number | undefined, digits = 6): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e7 || a < 1e-4)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toString();
}

/** Whether a computed value equals a published one (to the published figure's precision). */
export function sameValue(computed: number, published: number): boolean {
  return Math.abs(computed - published) <= 1e-9 * Math.max(1, Math.abs(published));
}

/** A shell-safe single-quoted argument. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
