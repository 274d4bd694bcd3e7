import { describe, expect, it } from 'vitest';
import { aligned } from './aligned';

/** The obvious version: a Set of every x, a Map from x to its place. */
function reference(own: { xs: number[]; ys: number[] }[]) {
  const xs = [...new Set(own.flatMap((s) => s.xs))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  return [xs, ...own.map((s) => {
    const y: (number | null)[] = new Array(xs.length).fill(null);
    s.xs.forEach((x, i) => (y[at.get(x)!] = s.ys[i]));
    return y;
  })];
}

describe('aligned chart data', () => {
  it('equals the union of x with each series placed on it, for sorted, unsorted and repeated x', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 50; round++) {
      const own = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => {
        const n = Math.floor(rand() * 40);
        const xs = Array.from({ length: n }, () => Math.floor(rand() * 30) * (rand() < 0.1 ? 0.5 : 1));
        if (rand() < 0.5) xs.sort((a, b) => a - b);
        return { xs, ys: xs.map(() => rand()) };
      });
      expect(aligned(own)).toEqual(reference(own));
    }
  });

  it('has no x for no series or empty series', () => {
    expect(aligned([])).toEqual([[]]);
    expect(aligned([{ xs: [], ys: [] }])).toEqual([[], []]);
  });
});
