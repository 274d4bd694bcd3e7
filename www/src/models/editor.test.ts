import { describe, expect, it } from 'vitest';
import { OPS, archStringOf, changedEdges, connected, edgeKey, edgeName, opsOf, rankText, topShare, withOp, type Op } from './editor';

const RESNET = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|';

describe('the cell editor model', () => {
  it('reads and writes arch strings without loss', () => {
    const ops = opsOf(RESNET)!;
    expect(ops).toEqual(['nor_conv_3x3', 'none', 'nor_conv_3x3', 'skip_connect', 'none', 'none']);
    expect(archStringOf(ops)).toBe(RESNET);
    for (let i = 0; i < 200; i++) {
      const random = Array.from({ length: 6 }, (_, k) => OPS[(i * 7 + k * 3 + (i >> k)) % 5]) as Op[];
      expect(opsOf(archStringOf(random))).toEqual(random);
    }
  });

  it('refuses what is not an NB201 arch string', () => {
    for (const bad of ['', '123', '|nor_conv_3x3~0|+|none~0|', RESNET.replace('skip_connect', 'conv_5x5'), RESNET.replace('~2|', '~1|')]) {
      expect(opsOf(bad)).toBeNull();
    }
  });

  it('an edit changes exactly one edge', () => {
    const ops = opsOf(RESNET)!;
    for (let p = 0; p < 6; p++) {
      for (const op of OPS) {
        const e = withOp(ops, p, op);
        expect(changedEdges(ops, e)).toEqual(op === ops[p] ? [] : [p]);
      }
    }
    expect(ops).toEqual(opsOf(RESNET)); // the original is untouched
  });

  it('a cell is connected when a computing path joins input and output', () => {
    expect(connected(opsOf(RESNET)!)).toBe(true);
    expect(connected(['none', 'none', 'none', 'none', 'none', 'none'])).toBe(false);
    // Only in→1→2→out, through the 1→2 edge.
    expect(connected(['skip_connect', 'none', 'nor_conv_1x1', 'none', 'none', 'avg_pool_3x3'])).toBe(true);
    // in→1 and 2→out but nothing joins 1 to 2 or out.
    expect(connected(['skip_connect', 'none', 'none', 'none', 'none', 'avg_pool_3x3'])).toBe(false);
  });

  it('the diagram’s keys: arrows move between edges and step operations, digits choose, Enter opens the menu', () => {
    expect(edgeKey('ArrowRight', 5, 'none')).toEqual({ kind: 'focus', position: 0 });
    expect(edgeKey('ArrowLeft', 0, 'none')).toEqual({ kind: 'focus', position: 5 });
    expect(edgeKey('Home', 3, 'none')).toEqual({ kind: 'focus', position: 0 });
    expect(edgeKey('End', 3, 'none')).toEqual({ kind: 'focus', position: 5 });
    expect(edgeKey('ArrowDown', 0, 'avg_pool_3x3')).toEqual({ kind: 'set', op: 'none' });
    expect(edgeKey('ArrowUp', 0, 'none')).toEqual({ kind: 'set', op: 'avg_pool_3x3' });
    expect(edgeKey('4', 0, 'none')).toEqual({ kind: 'set', op: 'nor_conv_3x3' });
    expect(edgeKey('Enter', 0, 'none')).toEqual({ kind: 'menu' });
    expect(edgeKey(' ', 0, 'none')).toEqual({ kind: 'menu' });
    expect(edgeKey('6', 0, 'none')).toBeNull();
    expect(edgeKey('p', 0, 'none')).toBeNull();
  });

  it('edges are named by their nodes in arch-string order', () => {
    expect([0, 1, 2, 3, 4, 5].map(edgeName)).toEqual(['in→1', 'in→2', '1→2', 'in→out', '1→out', '2→out']);
  });

  it('ranks read from 1 and shares round to what a person reads', () => {
    const p = (rank: number | null) => ({ id: 1, arch_string: RESNET, value: rank === null ? undefined : 1, rank: rank ?? undefined, test_acc: undefined });
    expect(rankText(p(0), 15_625)).toBe('rank 1 of 15,625');
    expect(rankText(p(null), 15_625)).toBe('no value in the table');
    expect(topShare(p(0), 15_625)).toBe('top 0.01 %');
    expect(topShare(p(156), 15_625)).toBe('top 1.0 %');
    expect(topShare(p(7811), 15_625)).toBe('top 50 %');
    expect(topShare(p(null), 15_625)).toBeNull();
  });
});
