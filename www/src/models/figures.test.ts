import { describe, expect, it } from 'vitest';
import { evaluated } from './testing';
import type { Event, Funnel, FunnelNode } from '../types';
import { emptyInspector, foldInspector, scaleDomain, triedAt } from './inspector';
import { emptyBracket, foldBracket } from './bracket';
import { layoutFunnel } from './funnel';
import { emptyPath, foldPath } from './path';
import { label, lookup, metricTerm } from './glossary';

const ev = evaluated;

const cmp = (from: number, to: number, before: number, after: number, verdict: 'accepted' | 'rejected' | 'escape', changed = [0]): Event => ({
  type: 'compared',
  from,
  to,
  changed,
  before,
  after,
  difference: after - before,
  verdict,
});

/** A local search: start at 1 (score 5), reject 2, accept 3, reject 4, escape to 9. */
const ls: Event[] = [
  { type: 'stage_started', stage: 1, label: 'FLS' },
  ev(1, 1, 1, 'zc:synflow', 5),
  ev(2, 2, 2, 'zc:synflow', 4),
  cmp(1, 2, 5, 4, 'rejected'),
  ev(3, 3, 3, 'zc:synflow', 7),
  cmp(1, 3, 5, 7, 'accepted', [2]),
  { type: 'moved', from: 1, to: 3, score: 7 },
  ev(4, 4, 4, 'zc:synflow', 6),
  cmp(3, 4, 7, 6, 'rejected', [5]),
  ev(9, 5, 5, 'zc:synflow', 1),
  cmp(3, 9, 7, 1, 'escape', [1, 4]),
  { type: 'escaped', from: 3, to: 9 },
];

describe('step inspector model', () => {
  it('each comparison carries the engine event and the evaluation it followed', () => {
    const m = foldInspector(emptyInspector(), ls);
    expect(m.steps.map((s) => [s.event.verdict, s.evals, s.objective])).toEqual([
      ['rejected', 2, 'zc:synflow'],
      ['accepted', 3, 'zc:synflow'],
      ['rejected', 4, 'zc:synflow'],
      ['escape', 5, 'zc:synflow'],
    ]);
    expect(m.steps[1].event).toBe(ls[5]);
    expect(m.start).toEqual({ arch: 1, score: 5, objective: 'zc:synflow' });
  });

  it('the neighbourhood of a step holds only what was tried from its current cell, escapes left out', () => {
    const m = foldInspector(emptyInspector(), ls);
    expect([...triedAt(m, 1).keys()]).toEqual([2, 3]);
    expect([...triedAt(m, 3).keys()]).toEqual([4]);
    expect(triedAt(m, 3).get(4)).toEqual({ step: 2, score: 6, verdict: 'rejected' });
  });

  it('folding in slices gives the same model as folding at once', () => {
    const a = foldInspector(emptyInspector(), ls);
    const b = emptyInspector();
    for (let i = 0; i < ls.length; i += 3) foldInspector(b, ls.slice(i, i + 3));
    expect(b).toEqual(a);
  });

  it('the colour scale spans the neighbourhood or the whole run', () => {
    const m = foldInspector(emptyInspector(), ls);
    expect(scaleDomain(m, 2, 'neighbourhood')).toEqual([6, 7]);
    expect(scaleDomain(m, 3, 'run')).toEqual([1, 7]);
  });

  it('stage 2 ends local search', () => {
    const m = foldInspector(emptyInspector(), [...ls, { type: 'stage_started', stage: 2, label: 'SH' }, ev(5, 6, 100, 'val_acc@200', 90)]);
    expect(m.ended).toBe(true);
    expect(m.last?.evals).toBe(5);
  });
});

describe('bracket model', () => {
  const events: Event[] = [
    { type: 'rung_started', rung: 0, objective: 'v12', candidates: [7, 8, 9] },
    ev(7, 1, 10, 'v12', 50, 90, 10, 12),
    ev(8, 2, 20, 'v12', 70, 91, 10, 12),
    ev(9, 3, 30, 'v12', 60, 92, 10, 12),
    { type: 'promoted', rung: 0, arch: 8, score: 70 },
    { type: 'promoted', rung: 0, arch: 9, score: 60 },
    { type: 'pruned', rung: 0, arch: 7, score: 50 },
    { type: 'rung_started', rung: 1, objective: 'v200', candidates: [8, 9] },
    ev(8, 4, 40, 'v200', 90, 91, 10, 188),
  ];

  it('a decided rung keeps the engine’s count and its last kept score as the cut-off', () => {
    const b = foldBracket(emptyBracket(), events);
    expect([b.rungs[0].decided, b.rungs[0].kept, b.rungs[0].cutoff]).toEqual([true, 2, 60]);
    expect([b.rungs[1].decided, b.rungs[1].kept, b.rungs[1].cutoff]).toEqual([false, 0, undefined]);
  });

  it('a rung spans the run totals from its start to its last evaluation', () => {
    const b = foldBracket(emptyBracket(), events);
    expect([b.rungs[0].startS, b.rungs[0].endS, b.rungs[1].startS, b.rungs[1].endS]).toEqual([0, 30, 30, 40]);
  });

  it('a refund names the evaluation given back and the total it would have reached, even in the next slice', () => {
    const b = foldBracket(emptyBracket(), events);
    foldBracket(b, [{ type: 'refunded', cost_s: 10, epochs: 188 }]);
    expect(b.refunds).toEqual([{ rung: 1, arch: 8, seconds: 10, epochs: 188, wouldBeS: 40 }]);
    expect(b.rungs[1].entries[0].status).toBe('refunded');
  });

  it('the run’s end fixes its totals', () => {
    const b = foldBracket(emptyBracket(), [...events, { type: 'done', arch: 8, score: 90, test_acc: 91, total_s: 40, total_epochs: 224, evals: 4 }]);
    expect([b.doneS, b.totalEpochs]).toEqual([40, 224]);
  });
});

describe('funnel layout', () => {
  const node = (id: number, value: number | undefined, extra: Partial<FunnelNode> = {}): FunnelNode => ({
    id,
    arch: `a${id}`,
    value,
    test_acc: 90,
    basin_size: 10,
    global: false,
    sink: false,
    reaches_global: false,
    ...extra,
  });
  const funnel = (negated = false): Funnel =>
    ({
      metric: 'm',
      negated,
      nodes: [node(1, 10, { global: true, sink: true, reaches_global: true }), node(2, 8, { reaches_global: true }), node(3, 6, { sink: true }), node(4, 5), node(5, undefined, { sink: true })],
      edges: [
        { source: 2, target: 1, weight: 3 },
        { source: 4, target: 3, weight: 2 },
        { source: 4, target: 2, weight: 1 },
        { source: 5, target: 4, weight: 1 },
      ],
      summary: { n_unscored_optima: 1 } as Funnel['summary'],
    }) as Funnel;

  it('unscored optima are hidden unless asked for, with the edges that touch them', () => {
    const l = layoutFunnel(funnel(), { showUnscored: false });
    expect(l.nodes.map((p) => p.node.id)).toEqual([1, 2, 3, 4]);
    expect(l.hiddenUnscored).toBe(1);
    expect(l.edges.some((e) => e.source === 5)).toBe(false);
    expect(layoutFunnel(funnel(), { showUnscored: true }).nodes).toHaveLength(5);
  });

  it('each node drains to the bottom of its heaviest improving escape, best funnel first', () => {
    const l = layoutFunnel(funnel(), { showUnscored: false });
    const bottom = Object.fromEntries(l.nodes.map((p) => [p.node.id, p.bottom]));
    expect(bottom).toEqual({ 1: 1, 2: 1, 3: 3, 4: 3 });
    const x = Object.fromEntries(l.nodes.map((p) => [p.node.id, p.x]));
    expect(x[1]).toBeLessThan(x[3]);
    expect(l.nodes.every((p) => p.x >= 0 && p.x <= 1)).toBe(true);
  });

  it('losses put the smallest value at the bottom', () => {
    const f = funnel(true);
    const l = layoutFunnel(f, { showUnscored: false });
    expect(l.negated).toBe(true);
    expect(l.domain).toEqual([5, 10]);
  });
});

describe('run path', () => {
  it('local search follows its current cell; every evaluated cell is listed once', () => {
    const p = foldPath(emptyPath(), [...ls, ev(9, 6, 6, 'zc:synflow', 1), { type: 'done', arch: 3, score: 7, test_acc: 91, total_s: 6, total_epochs: 0, evals: 6 }]);
    expect(p.steps).toEqual([1, 3, 9]);
    expect(p.escapes).toEqual([2]);
    expect(p.evaluated).toEqual([1, 2, 3, 4, 9]);
    expect(p.final).toBe(3);
  });

  it('without local search the path follows the best so far', () => {
    const p = foldPath(emptyPath(), [ev(5, 1, 1, 'v', 1), { type: 'new_best', arch: 5, score: 1 }, ev(6, 2, 2, 'v', 2), { type: 'new_best', arch: 6, score: 2 }]);
    expect([p.local, p.steps]).toEqual([false, [5, 6]]);
  });
});

describe('glossary', () => {
  it('a metric reads in plain words or exactly', () => {
    expect(label('val_acc@12@hp12', 'plain')).toBe('validation accuracy after 12 epochs (short schedule)');
    expect(label('val_acc@12@hp12', 'exact')).toBe('val_acc@12@hp12');
    expect(label('test_acc@200', 'plain')).toBe('test accuracy after 200 epochs');
    expect(metricTerm('zc:synflow').plain).toBe('synflow proxy score');
    expect(metricTerm('train_loss@200').text).toContain('smaller is better');
  });

  it('every term has both wordings and an explanation', () => {
    for (const key of ['escape', 'funnel share', 'refunded', 'hp12', 'M', 'k', 'lon', 'mlon', 'cmlon']) {
      const t = lookup(key);
      expect(t.plain && t.exact && t.text.length > 20).toBeTruthy();
    }
  });
});
