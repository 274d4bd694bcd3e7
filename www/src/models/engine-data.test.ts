// The figures' models fed by the real engine (wasm, built by wasm-pack into ../pkg), in Node:
// what the inspector, the map and the funnel picture show is the engine's data.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSync, Session } from '../../../pkg/mfnas.js';
import type { Event, Funnel, Neighbour, SpaceMap, WholeRun } from '../types';
import { emptyInspector, foldInspector, triedAt } from './inspector';
import { layoutFunnel } from './funnel';
import { emptyPath, foldPath } from './path';
import { runSentence } from './runtitle';

let session: Session;

beforeAll(() => {
  initSync({ module: readFileSync(new URL('../../../pkg/mfnas_bg.wasm', import.meta.url)) });
  session = new Session();
  session.loadSyntheticTable(3);
});

const run = (algo: string, seed: number): WholeRun => session.wholeRun({ algo, budget_s: 20_000 } as never, seed) as WholeRun;

describe('the step inspector on an engine run', () => {
  it('every first-improvement comparison is a neighbour on the edge the engine names', () => {
    const r = run('mf-nas', 7);
    const m = foldInspector(emptyInspector(), r.events as Event[]);
    expect(m.steps.length).toBeGreaterThan(1000);
    const cache = new Map<number, Neighbour[]>();
    for (const s of m.steps.slice(0, 300)) {
      const e = s.event;
      if (!cache.has(e.from)) cache.set(e.from, session.neighbours(e.from) as Neighbour[]);
      const n = cache.get(e.from)!.find((x) => x.id === e.to);
      if (e.verdict === 'escape') {
        expect(n).toBeUndefined();
        expect(e.changed).toHaveLength(2);
      } else {
        expect(n?.position).toBe(e.changed[0]);
      }
    }
  });

  it('a comparison’s scores are those of the evaluations the engine reported', () => {
    const r = run('ls', 3);
    const events = r.events as Event[];
    const score = new Map<number, number | undefined>();
    for (const e of events) if (e.type === 'evaluated') score.set(e.arch, e.score);
    const m = foldInspector(emptyInspector(), events);
    for (const s of m.steps) {
      expect(s.event.after).toBe(score.get(s.event.to));
      expect(s.event.before).toBe(score.get(s.event.from));
      for (const [key, t] of triedAt(m, s.index)) expect(t.score).toBe(score.get(key));
    }
  });

  it('the run’s sentence names its settings', () => {
    const r = run('mf-nas', 7);
    expect(runSentence(r.info, 'plain')).toMatch(/^MF-NAS, seed 7, on .*: first-improvement local search scores 2,000 cells by their synflow proxy score; then successive halving trains the best 32 on .*\. It has a budget of 20,000 simulated seconds\.$/);
    expect(runSentence(r.info, 'exact')).toContain('zc:synflow');
  });
});

describe('the map and the funnel on the engine’s landscape', () => {
  it('the map marks exactly the LON’s scored optima and global optima', () => {
    const map = session.spaceMap('zc:synflow') as SpaceMap;
    const lon = session.landscape('zc:synflow', 'lon');
    const scored = lon.nodes.filter((n) => n.fitness !== undefined && n.fitness !== null).map((n) => n.id).sort((a, b) => a - b);
    expect(map.optima.map((c) => map.ids[c]).sort((a, b) => a - b)).toEqual(scored);
    expect(map.global_optima.map((c) => map.ids[c])).toEqual(lon.summary.global_optima);
    expect(new Set(map.ids).size).toBe(15_625);
  });

  it('a run’s path lies on cells of the map', () => {
    const map = session.spaceMap('val_acc@200') as SpaceMap;
    const keys = new Set(map.ids);
    const p = foldPath(emptyPath(), run('ls', 1).events as Event[]);
    expect(p.steps.length).toBeGreaterThan(1);
    expect(p.steps.every((k) => keys.has(k))).toBe(true);
  });

  it('the funnel draws every scored optimum and hides exactly the engine’s unscored ones', () => {
    const f = session.funnel('val_acc@200') as Funnel;
    const l = layoutFunnel(f, { showUnscored: false });
    expect(l.nodes).toHaveLength(f.summary.n_optima);
    expect(l.hiddenUnscored).toBe(f.summary.n_unscored_optima);
    expect(l.nodes.filter((p) => p.node.global).map((p) => p.node.id)).toEqual(f.summary.global_optima);
  });
});

describe('the trajectory exported as SVG', () => {
  it('has a column per MF-NAS stage, each with one best-so-far line', async () => {
    const { foldTrajectory, emptyTrajectory } = await import('./trajectory');
    const { trajectorySvg } = await import('../views/trajectory-figure');
    const r = run('mf-nas', 7);
    const t = foldTrajectory(emptyTrajectory(), r.events as Event[]);
    const svg = await trajectorySvg(t, 'cost', r.info.objectives, 1000, 300, 200);
    expect(svg.match(/best so far/g)?.length).toBe(2);
    expect(svg).toContain('Stage 1: local search on the zero-cost proxy');
    expect(svg).toContain('simulated time so far (s)');
  }, 30_000);
});
