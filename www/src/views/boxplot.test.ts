import { describe, expect, it } from 'vitest';
import { boxStats, boxplotSvg, niceTicks, quantile } from './boxplot';

describe('box plot', () => {
  it('interpolates quantiles linearly between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([10, 20], 0.75)).toBe(17.5);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('puts seeds beyond 1.5 box lengths outside the whiskers', () => {
    const s = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100])!;
    expect([s.q1, s.median, s.q3]).toEqual([3, 5, 7]);
    expect(s.outliers).toEqual([100]);
    expect([s.low, s.high]).toEqual([1, 8]);
  });

  it('leaves out values that are not numbers, and has no box without any', () => {
    expect(boxStats([NaN, Infinity])).toBeNull();
    expect(boxStats([2, NaN, 4])!.n).toBe(2);
  });

  it('chooses round ticks that cover the range', () => {
    const t = niceTicks(93.1, 94.62);
    expect(t[0]).toBeGreaterThanOrEqual(93.1 - 1e-9);
    expect(t[t.length - 1]).toBeLessThanOrEqual(94.62 + 1e-9);
    expect(t.length).toBeGreaterThanOrEqual(3);
    for (const v of t) expect(Math.abs(v * 100 - Math.round(v * 100))).toBeLessThan(1e-6);
  });

  it('draws one box per group and one diamond per published mean', () => {
    const svg = boxplotSvg(
      [
        { name: 'RS', values: [93, 93.5, 94], paper: 93.35 },
        { name: 'MF-NAS', values: [94.36, 94.36] },
      ],
      { width: 600, height: 320 },
    );
    expect(svg.match(/<g class="box"/g)?.length).toBe(2);
    expect(svg.match(/class="paper-mean"/g)?.length).toBe(1);
    expect(svg).toContain('data-median="93.5"');
    expect(svg).not.toContain('NaN');
  });

  it('says so in words when there is nothing to draw', () => {
    expect(boxplotSvg([{ name: 'RS', values: [] }], { width: 400, height: 300 })).toContain('No test accuracy to show');
  });
});
