import { describe, expect, it } from 'vitest';
import { pack, packRows, unpack } from './wire';

const lon = {
  metric: 'zc:nwot',
  dataset: 'cifar10',
  kind: 'mlon',
  n_missing: 1,
  nodes: [
    { id: 9930, arch: '|a|', members: [9930, 11668], fitness: 0.5, test_acc: 94.37, basin_size: 12, in_degree: 3, global: true, sink: true },
    { id: 3, arch: '|b|', fitness: undefined, test_acc: undefined, basin_size: 1, in_degree: 0, global: false, sink: false },
    { id: 4, arch: '|c|', members: [], fitness: -2.25, test_acc: 10, basin_size: 0, in_degree: 1, global: false, sink: true },
  ],
  edges: [
    { source: 3, target: 9930, weight: 2 },
    { source: 4, target: 4, weight: 0.5 },
  ],
  summary: { n_optima: 2 },
  edgesTotal: 7,
};

describe('records in columns', () => {
  it('come back with every value, absent values, members and key order as they were', () => {
    const back = unpack<typeof lon>(pack(lon, ['nodes', 'edges']));
    expect(JSON.stringify(back)).toBe(JSON.stringify(lon));
    expect(back.nodes[1].fitness).toBeUndefined();
    expect(back.nodes[0].global).toBe(true);
  });

  it('travel as typed arrays: numbers as Float64Array, booleans as Uint8Array', () => {
    const c = packRows(lon.nodes);
    const col = (k: string) => c.columns[c.keys.indexOf(k)];
    expect(col('id')).toBeInstanceOf(Float64Array);
    expect(col('fitness')).toEqual(Float64Array.from([0.5, NaN, -2.25]));
    expect(col('global')).toEqual(Uint8Array.from([1, 0, 0]));
    expect(col('arch')).toEqual(['|a|', '|b|', '|c|']);
  });

  it('keep a column with a NaN of its own as it is', () => {
    const c = packRows([{ v: NaN }, { v: 1 }]);
    expect(c.columns[0]).toEqual([NaN, 1]);
  });

  it('an empty list stays an empty list', () => {
    expect(unpack<typeof lon>(pack({ ...lon, edges: [] }, ['nodes', 'edges'])).edges).toEqual([]);
  });
});
