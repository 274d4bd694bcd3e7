import { describe, expect, it } from 'vitest';
import { SERIES_CAP, pushThinned } from './trajectory';

describe('dense series are thinned to bounded memory', () => {
  it('a series never holds more than SERIES_CAP points, however many are pushed', () => {
    const list: number[] = [];
    for (let i = 0; i < 20 * SERIES_CAP; i++) pushThinned(list, i);
    expect(list.length).toBeLessThan(SERIES_CAP);
    expect(list.length).toBeGreaterThan(SERIES_CAP / 4);
  });

  it('the kept points stay in order and evenly spaced, starting at the first', () => {
    const list: number[] = [];
    for (let i = 0; i < 3 * SERIES_CAP; i++) pushThinned(list, i);
    expect(list[0]).toBe(0);
    const gaps = new Set(list.slice(1).map((v, i) => v - list[i]));
    expect(gaps).toEqual(new Set([4]));
  });

  it('a series below the cap keeps every point', () => {
    const list: number[] = [];
    for (let i = 0; i < 1000; i++) pushThinned(list, i);
    expect(list).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });
});
