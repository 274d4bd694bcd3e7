import { describe, expect, it } from 'vitest';
import { evaluated } from './testing';
import type { Event } from '../types';
import { emptyTrajectory, foldTrajectory } from './trajectory';
import { emptyBracket, foldBracket } from './bracket';
import { overBudget } from './runtitle';

const ev = evaluated;

describe('trajectory', () => {
  it('a new best takes the test accuracy of the evaluation just before it', () => {
    const t = foldTrajectory(emptyTrajectory(), [ev(5, 1, 10, 'zc:synflow', 3, 91), { type: 'new_best', arch: 5, score: 3 }]);
    expect(t.bestTest).toEqual([{ evals: 1, cost: 10, value: 91, arch: 5, stage: 0 }]);
  });

  it('scores are kept apart by objective', () => {
    const t = foldTrajectory(emptyTrajectory(), [ev(1, 1, 1, 'zc:synflow', 3, 90), ev(2, 2, 11, 'val_acc@12@hp12', 80, 91)]);
    expect([...t.evaluated.keys()]).toEqual(['zc:synflow', 'val_acc@12@hp12']);
  });

  it('a refund gives back the seconds of the last evaluation', () => {
    const t = foldTrajectory(emptyTrajectory(), [ev(1, 1, 10, 'a', 1, 1), ev(2, 2, 20, 'a', 1, 1), { type: 'refunded', cost_s: 10, epochs: 12 }]);
    expect([t.cost, t.evals]).toEqual([10, 1]);
  });

  it('stage boundaries and escapes are marked where they happen', () => {
    const t = foldTrajectory(emptyTrajectory(), [
      { type: 'stage_started', stage: 1, label: 'FLS' },
      ev(1, 1, 5, 'a', 1, 1),
      { type: 'escaped', from: 1, to: 2 },
    ]);
    expect(t.stages[0].cost).toBe(0);
    expect(t.escapes[0].cost).toBe(5);
  });
});

describe('bracket', () => {
  const events: Event[] = [
    { type: 'rung_started', rung: 0, objective: 'v12', candidates: [7, 8, 9] },
    ev(7, 1, 10, 'v12', 50, 90),
    ev(8, 2, 20, 'v12', 70, 91),
    ev(9, 3, 30, 'v12', 60, 92),
    { type: 'promoted', rung: 0, arch: 8, score: 70 },
    { type: 'promoted', rung: 0, arch: 9, score: 60 },
    { type: 'pruned', rung: 0, arch: 7, score: 50 },
    { type: 'rung_started', rung: 1, objective: 'v200', candidates: [8, 9] },
    ev(8, 4, 40, 'v200', 90, 91, 10, 188),
  ];

  it('each rung is a column of its candidates with their fates', () => {
    const b = foldBracket(emptyBracket(), events);
    expect(b.rungs.map((r) => r.entries.map((e) => e.status))).toEqual([
      ['pruned', 'promoted', 'promoted'],
      ['evaluated', 'waiting'],
    ]);
  });

  it('a rung adds up the seconds and epochs charged in it', () => {
    const b = foldBracket(emptyBracket(), events);
    expect([b.rungs[0].seconds, b.rungs[0].epochs, b.rungs[1].epochs]).toEqual([30, 36, 188]);
  });

  it('a refund marks the last evaluated candidate and takes back its cost', () => {
    const b = foldBracket(emptyBracket(), [...events, { type: 'refunded', cost_s: 10, epochs: 188 }]);
    expect(b.rungs[1].entries[0].status).toBe('refunded');
    expect(b.rungs[1].seconds).toBe(0);
  });
});

describe('over-budget note', () => {
  const info = { budget_s: 20_000, budget_rule: 'evolution evaluates its whole initial population first' };
  it('says how far past the budget a run was charged and the rule that allowed it', () => {
    const note = overBudget(30_000, info);
    expect(note).toContain('10,000 s over the budget of 20,000 s (1.50 times it)');
    expect(note).toContain('whole initial population');
  });
  it('says nothing within the budget or without one', () => {
    expect(overBudget(20_000, info)).toBe('');
    expect(overBudget(30_000, { budget_s: null, budget_rule: 'x' } as never)).toBe('');
    expect(overBudget(30_000, null)).toBe('');
  });
});
