// The worker's engine with the real wasm session (built by wasm-pack into ../pkg), in Node.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSync } from '../../../pkg/mfnas.js';
import { REQUEST_TYPES, isRequest } from './protocol';
import { harness, until } from './testing';
import { unitsFor } from './engine';
import { unpack, type Packed } from './wire';
import type { Funnel, LonExport } from '../types';

beforeAll(() => {
  initSync({ module: readFileSync(new URL('../../../pkg/mfnas_bg.wasm', import.meta.url)) });
});

const RUN = { algo: 'mf-nas', budget_s: 20_000, zc: 'synflow' } as const;

describe('engine', () => {
  it('answers every request with exactly one reply or error of its id', async () => {
    const { send } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'startRun', params: RUN, seed: 7 });
    const bodies: Record<string, object> = {
      loadTable: { source: { kind: 'synthetic', seed: 3 } },
      startRun: { params: RUN, seed: 7 },
      play: { stepsPerSecond: 10 },
      pause: {},
      step: { steps: 3 },
      finish: {},
      arch: { arch: 5 },
      parseArch: { text: '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|' },
      startExperiment: { params: [RUN], seedStart: 1, runs: 2 },
      cancelExperiment: {},
      landscapeMetrics: {},
      landscape: { metric: 'zc:synflow', kind: 'mlon' },
      landscapeSummary: { metric: 'zc:synflow' },
      spaceMap: { metric: 'zc:synflow' },
      funnel: { metric: 'zc:synflow' },
      neighbours: { arch: 5 },
      cellLandscape: { arch: 5, metric: 'zc:synflow' },
      wholeRun: { params: RUN, seed: 2 },
      paperNumbers: {},
      paperStart: { request: { sections: ['table2'], runs: 1, seed_start: 1 } },
      paperCancel: {},
      coverage: { params: RUN },
      debugPanic: {},
      memory: {},
      ack: { seq: 0 },
    };
    for (const type of REQUEST_TYPES.filter((t) => t !== 'debugPanic')) {
      const answers = await send({ type, ...bodies[type] } as never);
      expect(answers, type).toHaveLength(1);
      expect(answers[0].type, `${type}: ${JSON.stringify(answers[0]).slice(0, 200)}`).toBe('reply');
    }
  });

  it('networks and funnels sent in columns arrive as the session made them, node by node and edge by edge', async () => {
    const { send, engine } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    const session = (engine as unknown as { host: { session: { landscape(m: string, k: string): LonExport; funnel(m: string): Funnel } } }).host.session;
    const metric = 'train_loss@100';
    for (const kind of ['lon', 'mlon', 'cmlon'] as const) {
      const direct = session.landscape(metric, kind);
      const [answer] = await send({ type: 'landscape', metric, kind });
      const got = unpack<LonExport>((answer as { result: Packed }).result);
      expect(got.nodes.length, kind).toBeGreaterThan(1);
      expect(got.edges.length, kind).toBeGreaterThan(1);
      // Same keys in the same order as well (exports write them as they come).
      expect(JSON.stringify(got), kind).toBe(JSON.stringify({ ...direct, edgesTotal: direct.edges.length }));
    }
    const [answer] = await send({ type: 'funnel', metric });
    const funnel = unpack<Funnel>((answer as { result: Packed }).result);
    expect(funnel.nodes.length).toBeGreaterThan(1);
    expect(JSON.stringify(funnel)).toBe(JSON.stringify(session.funnel(metric)));
  });

  it('a bad parameter comes back as an error message with the core kind', async () => {
    const { send } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    const [a] = await send({ type: 'startRun', params: { ...RUN, zc: 'nope' }, seed: 1 });
    expect(a).toMatchObject({ type: 'error', kind: 'missing_data' });
    expect((a as { message: string }).message).toMatch(/synflow/);
  });

  it('pause stops the play loop at once', async () => {
    const { send, out } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'startRun', params: RUN, seed: 7 });
    await send({ type: 'play', stepsPerSecond: 200 });
    await until(() => out.some((m) => m.type === 'events'));
    await send({ type: 'pause' });
    const n = out.filter((m) => m.type === 'events').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(out.filter((m) => m.type === 'events').length).toBe(n);
  });

  it('running to the end streams the same events as playing at full speed, then the outcome', async () => {
    const streamed = async (how: 'play' | 'finish') => {
      const h = harness();
      await h.send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
      await h.send({ type: 'startRun', params: RUN, seed: 7 });
      await (how === 'play' ? h.send({ type: 'play', stepsPerSecond: null }) : h.send({ type: 'finish' }));
      await until(() => h.out.some((m) => m.type === 'events' && m.batch.outcome !== undefined));
      return h.out.flatMap((m) => (m.type === 'events' ? m.batch.events : []));
    };
    const played = await streamed('play');
    const finished = await streamed('finish');
    expect(finished).toEqual(played);
    expect(finished.at(-1)?.type).toBe('done');
  });

  it('pause stops a run that is running to the end', async () => {
    const { send, out } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'startRun', params: { algo: 'ls', budget_s: 1e9 }, seed: 1 });
    await send({ type: 'finish' });
    await until(() => out.filter((m) => m.type === 'events').length >= 3);
    await send({ type: 'pause' });
    const n = out.filter((m) => m.type === 'events').length;
    await new Promise((r) => setTimeout(r, 100));
    expect(out.filter((m) => m.type === 'events').length).toBe(n);
    expect(out.some((m) => m.type === 'events' && m.batch.outcome !== undefined)).toBe(false);
  });

  it('the next call is sized to take the time aimed at, never under one unit or over the cap', () => {
    expect(unitsFor(8, 100, 4, 1000)).toBe(200);
    expect(unitsFor(2, 30, 3, 512)).toBe(20);
    // A call the clock saw as instant counts as 0.05 ms; the cap holds either way.
    expect(unitsFor(8, 1, 0, 1e9)).toBe(160);
    expect(unitsFor(8, 100, 0, 1000)).toBe(1000);
    expect(unitsFor(8, 1, 100, 1000)).toBe(1);
  });

  it('every slice of a playing run stays short', async () => {
    const { send, out } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'startRun', params: RUN, seed: 7 });
    await send({ type: 'play', stepsPerSecond: null });
    await until(() => out.some((m) => m.type === 'events' && m.batch.outcome !== undefined));
    const slices = out.flatMap((m) => (m.type === 'events' ? [m.sliceMs] : []));
    expect(Math.max(...slices)).toBeLessThan(40);
  });

  it('an experiment reports its end with every configuration', async () => {
    const { send, out } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'startExperiment', params: [RUN, { algo: 'rs', budget_s: 20_000 }], seedStart: 1, runs: 20 });
    await until(() => out.some((m) => m.type === 'experimentDone'));
    const done = out.find((m) => m.type === 'experimentDone')!;
    expect(done.type === 'experimentDone' && done.progress.entries.map((e) => e.algo)).toEqual(['mf-nas', 'rs']);
  });

  it('a panic is reported as a crash and later requests say to restart', async () => {
    const { send, out } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    const [a] = await send({ type: 'debugPanic' });
    expect(a).toMatchObject({ type: 'error', kind: 'crashed' });
    expect((out.find((m) => m.type === 'crashed') as { message: string }).message).toMatch(/deliberate panic requested by debugPanic/);
    const [b] = await send({ type: 'arch', arch: 1 });
    expect(b).toMatchObject({ type: 'error', kind: 'crashed' });
  });
});

describe('protocol', () => {
  it('a message without a known type or numeric id is not a request', () => {
    expect(isRequest({ type: 'step', id: 1, steps: 1 })).toBe(true);
    expect(isRequest({ type: 'explode', id: 1 })).toBe(false);
    expect(isRequest({ type: 'step' })).toBe(false);
    expect(isRequest(null)).toBe(false);
  });
});
