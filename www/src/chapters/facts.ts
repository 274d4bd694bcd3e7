// Numbers in the prose. Every number a chapter states is computed from the engine's data when
// the chapter opens and written as a fact: `<span data-fact="key" data-value="raw">shown</span>`,
// so that the end-to-end test checks each one against the command line and the engine, and a
// change in the data cannot leave the prose saying something false. The small computations
// here (a median, a share, which option a value falls in) are pure and unit-tested.
import { escapeHtml } from '../html';

/** A number in the prose, marked for the test. */
export function fact(key: string, value: number, text: string): string {
  return `<span class="fact" data-fact="${escapeHtml(key)}" data-value="${value}">${escapeHtml(text)}</span>`;
}

/** A percentage with `digits` decimals ("93.76 %"). */
export function pct(v: number, digits = 2): string {
  return `${v.toFixed(digits)} %`;
}

/** A count with thousands separators. */
export function count(v: number): string {
  return Math.round(v).toLocaleString('en');
}

/** A number with `digits` decimals and thousands separators. */
export function num(v: number, digits = 2): string {
  return v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A duration in words: "45 s", "12 min", "1 h 05 min", "3.2 days". */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) {
    const h = Math.floor(seconds / 3600);
    const m = Math.round((seconds - 3600 * h) / 60);
    return m === 60 ? `${h + 1} h 00 min` : `${h} h ${String(m).padStart(2, '0')} min`;
  }
  return `${(seconds / 86_400).toFixed(1)} days`;
}

/** The values that are present, ascending. */
export function present(values: readonly (number | null | undefined)[]): number[] {
  // A typed array sorts numbers natively: a table's 15,625 values in a fraction of the time a
  // comparator takes (the first chapter's facts sort several columns while the page opens).
  const kept = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  return Array.from(Float64Array.from(kept).sort());
}

/** The median of present values (the mean of the middle two for an even count), or null. */
export function median(values: readonly (number | null | undefined)[]): number | null {
  const v = present(values);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** The sum of present values. */
export function sum(values: readonly (number | null | undefined)[]): number {
  return present(values).reduce((a, b) => a + b, 0);
}

/** A range of an answer: the option applies to values below `below` (and at or above the previous one's). */
export interface Range {
  id: string;
  text: string;
  below: number;
}

/** The option whose range holds `value` (ranges ascending; the last one should be open, `Infinity`). */
export function optionFor(ranges: readonly Range[], value: number): string {
  const r = ranges.find((x) => value < x.below) ?? ranges[ranges.length - 1];
  return r.id;
}
