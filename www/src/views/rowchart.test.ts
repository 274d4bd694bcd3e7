import { describe, expect, it } from 'vitest';
import { rowChartHeight, rowChartSvg } from './rowchart';

describe('row chart', () => {
  const rows = [
    { name: 'val_acc@12', marks: [{ kind: 'bar' as const, value: 40, color: '#00f', text: '40' }] },
    { name: 'zc:synflow', marks: [{ kind: 'bar' as const, value: 3, color: '#00f', text: '3' }] },
    { name: 'zc:nwot', marks: [{ kind: 'bar' as const, value: null, color: '#00f' }] },
  ];

  it('draws one named row per item and a bar per present value', () => {
    const svg = rowChartSvg(rows, { width: 500, title: 'Local optima', axis: { name: 'optima', log: true, min: 1 } });
    for (const r of rows) expect(svg).toContain(`>${r.name}</text>`);
    expect(svg.match(/<rect x="[^"]*" y="[^"]*" width="[^"]*" height="[^"]*" fill="#00f"/g)?.length).toBe(2);
    expect(svg).not.toContain('NaN');
  });

  it('is as tall as its rows need', () => {
    const svg = rowChartSvg(rows, { width: 500, title: 't', axis: { name: 'a' } });
    expect(svg).toContain(`height="${rowChartHeight(3)}"`);
    expect(rowChartHeight(24)).toBeGreaterThan(rowChartHeight(3));
  });

  it('draws negative coefficients to the left of zero', () => {
    const svg = rowChartSvg([{ name: 'loss', marks: [{ kind: 'bar', value: -0.5, color: '#f00' }] }], { width: 400, title: 't', axis: { name: 'coefficient', min: -1, max: 1 } });
    const bar = /<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"[^>]*fill="#f00"/.exec(svg)!;
    const zero = /<line x1="([\d.]+)" x2="\1" y1="[\d.]+" y2="[\d.]+" stroke="#334155"/.exec(svg)!;
    expect(Number(bar[1]) + Number(bar[2])).toBeCloseTo(Number(zero[1]), 6);
  });

  it('draws dots that would land within half a pixel of each other once, with how many in the hover text', () => {
    const dots = (values: number[]) => values.map((value) => ({ kind: 'dot' as const, value, color: '#00f', series: 'a global optimum' }));
    const svg = rowChartSvg([{ name: 'zc:synflow', marks: dots([93.76, 93.76, 93.7601, 93.76, 50]) }], { width: 400, title: 't', axis: { name: 'test accuracy', min: 0, max: 100 } });
    const circles = svg.match(/<circle [^>]*>/g)!;
    expect(circles).toHaveLength(2);
    expect(svg).toContain('<title>zc:synflow, a global optimum (4 of them): 93.76, 93.7601</title>');
    expect(svg).toContain('<title>zc:synflow, a global optimum: 50</title>');
    // As dark as four translucent dots stacked, as one.
    expect(circles[0]).toContain(`fill-opacity="${+(1 - 0.4 ** 4).toFixed(3)}"`);
    expect(circles[1]).toContain('fill-opacity="0.6"');
  });
});
