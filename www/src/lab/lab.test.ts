// The lab worker's logic with a fake module (no wasm): a pause stops the loop before its next
// step, scores arrive proxy by proxy, errors and crashes keep their kind; and the race model
// and helpers.
import { describe, expect, it } from 'vitest';
import { LabCore, type LabHost, type LabModule, type TrainingModule } from './core';
import type { LabRequest, LabResponse, Progress } from './protocol';
import { emptyLane, foldLane, recentLoss, smoothLosses, standing } from './race';
import { fmt, labCell, sameValue, shellQuote } from './cell';

function fakeTraining(steps: number, onAdvance: () => void = () => {}): TrainingModule {
  let step = 0;
  return {
    info: () => ({ arch: { index: 1, arch_string: 'a', genotype: '000000' }, settings: { channels: 8, cells: 1, batch_size: 64, epochs: 1, lr: 0.1, seed: 0 }, batches_per_epoch: steps, train_images: 64 * steps, val_images: 10, side: 16, command: 'mfnas train' }),
    advance: (): Progress => {
      onAdvance();
      if (step >= steps) return { kind: 'finished' };
      step++;
      return { kind: 'step', epoch: 1, batch: step, batches: steps, step, loss: 2.3 / step, correct: 6, images: 64, lr: 0.1, seconds: 0.1, epoch_end: null };
    },
    finished: () => step >= steps,
  };
}

function harness(training: () => TrainingModule, opts: { scoreFails?: unknown } = {}) {
  const out: LabResponse[] = [];
  const queue: (() => void)[] = [];
  const lab: LabModule = {
    info: () => ({ source: 'fake', classes: ['a', 'b'], train: { n: 64, side: 16 }, val: { n: 10, side: 16 }, proxy: { n: 8, side: 32 }, page_proxies: ['params'], default_batch: 4, default_settings: training().info().settings }),
    parseArch: (text) => {
      if (text === 'bad') throw Object.assign(new Error('"bad" is not an NB201 architecture'), { kind: 'invalid_architecture' });
      return { index: 3, arch_string: `|${text}|`, genotype: '000000' };
    },
    score: (arch, name) => {
      if (opts.scoreFails) throw opts.scoreFails;
      return { name, score: arch.length, seconds: 0.01 };
    },
    startTraining: () => training(),
  };
  const host: LabHost = {
    load: async () => lab,
    post: (m) => out.push(m),
    now: () => 0,
    // Yields run only when the test says so: the test plays the event loop.
    yieldNow: () => new Promise<void>((r) => queue.push(r)),
  };
  const core = new LabCore(host);
  let id = 0;
  type Body = LabRequest extends infer R ? (R extends LabRequest ? Omit<R, 'id'> : never) : never;
  const send = (body: Body) => core.handle({ ...body, id: ++id } as LabRequest);
  const macrotask = () => new Promise((r) => setTimeout(r, 0));
  /** Lets the worker reach its next yield, then lets that yield return. */
  const tick = async () => {
    await macrotask();
    queue.shift()?.();
    await macrotask();
  };
  return { out, send, tick, replies: () => out.filter((m) => m.type === 'reply') };
}

describe('the lab worker', () => {
  it('scores every asked proxy, pushing each as it lands, then replies with all of them', async () => {
    const h = harness(() => fakeTraining(3));
    await h.send({ type: 'init', imagesUrl: 'x' });
    const done = h.send({ type: 'score', arch: 'cell', proxies: ['params', 'flops'], seed: 0, batch: 4 });
    await h.tick();
    await h.tick();
    await done;
    expect(h.out.filter((m) => m.type === 'scored').map((m) => (m as { score: { name: string } }).score.name)).toEqual(['params', 'flops']);
    const reply = h.replies().at(-1) as Extract<LabResponse, { type: 'reply'; request: 'score' }>;
    expect(reply.result.scores.map((s) => s.score)).toEqual([6, 6]);
    expect(reply.result.arch.arch_string).toBe('|cell|');
  });

  it('answers a bad architecture with an error of its kind, not a crash', async () => {
    const h = harness(() => fakeTraining(3));
    await h.send({ type: 'init', imagesUrl: 'x' });
    await h.send({ type: 'score', arch: 'bad', proxies: ['params'], seed: 0, batch: 4 });
    const e = h.out.find((m) => m.type === 'error') as Extract<LabResponse, { type: 'error' }>;
    expect(e.kind).toBe('invalid_architecture');
    expect(e.message).toMatch(/not an NB201 architecture/);
    expect(h.out.some((m) => m.type === 'crashed')).toBe(false);
  });

  it('reports a wasm trap as a crash and refuses further work', async () => {
    const h = harness(() => fakeTraining(3), { scoreFails: new WebAssembly.RuntimeError('unreachable') });
    await h.send({ type: 'init', imagesUrl: 'x' });
    await h.send({ type: 'score', arch: 'cell', proxies: ['params'], seed: 0, batch: 4 });
    expect(h.out.some((m) => m.type === 'crashed')).toBe(true);
    await h.send({ type: 'score', arch: 'cell', proxies: ['params'], seed: 0, batch: 4 });
    expect((h.out.at(-1) as { kind: string }).kind).toBe('crashed');
  });

  it('a pause is answered with the steps done, and nothing trains after the answer', async () => {
    let advances = 0;
    const h = harness(() => fakeTraining(100, () => advances++));
    await h.send({ type: 'init', imagesUrl: 'x' });
    await h.send({ type: 'startTraining', arch: 'cell', settings: {} });
    await h.send({ type: 'play' });
    await h.tick();
    await h.tick();
    const before = advances;
    const paused = h.send({ type: 'pause' });
    await h.tick();
    await paused;
    const reply = h.replies().at(-1) as Extract<LabResponse, { type: 'reply'; request: 'pause' }>;
    expect(reply.request).toBe('pause');
    expect(reply.result.steps).toBe(advances);
    expect(advances).toBe(before);
    for (let i = 0; i < 5; i++) await h.tick();
    expect(advances).toBe(before);
  });

  it('stops by itself when the schedule is finished', async () => {
    const h = harness(() => fakeTraining(2));
    await h.send({ type: 'init', imagesUrl: 'x' });
    await h.send({ type: 'startTraining', arch: 'cell', settings: {} });
    await h.send({ type: 'play' });
    for (let i = 0; i < 6; i++) await h.tick();
    const progress = h.out.filter((m) => m.type === 'progress') as Extract<LabResponse, { type: 'progress' }>[];
    expect(progress.map((p) => p.items[0].kind)).toEqual(['step', 'step', 'finished']);
    expect(progress.at(-1)!.playing).toBe(false);
    expect(progress[1].imagesPerSecond).toBeCloseTo(640);
  });

  it('refuses to play before a training is started', async () => {
    const h = harness(() => fakeTraining(2));
    await h.send({ type: 'init', imagesUrl: 'x' });
    await h.send({ type: 'play' });
    expect((h.out.at(-1) as { message: string }).message).toMatch(/start a training first/);
  });
});

describe('the race model', () => {
  it('folds steps and validations and says who leads at the last common epoch', () => {
    const a = emptyLane('A', 'a');
    const b = emptyLane('B', 'b');
    const val = (epoch: number, acc: number): Progress => ({ kind: 'validated', epoch, val_loss: 2, val_acc: acc, training: null });
    foldLane(a, [val(0, 10), val(1, 30.25), val(2, 41)], 100);
    foldLane(b, [val(0, 10), val(1, 27.5)], 90);
    expect(standing(a, b)).toBe('after epoch 1, A leads B by 2.8 points (30.3 % vs 27.5 %).');
    foldLane(b, [val(2, 41)], 0);
    expect(standing(a, b)).toMatch(/after epoch 2, A and B are level/);
    expect(b.imagesPerSecond).toBe(90);
  });

  it('smooths the loss curve with the mean of the last steps', () => {
    expect(smoothLosses([[1, 4], [2, 2], [3, 0], [4, 6]], 2)).toEqual([[1, 4], [2, 3], [3, 1], [4, 3]]);
  });

  it('averages the recent training loss', () => {
    const a = emptyLane('A', 'a');
    expect(recentLoss(a)).toBeNaN();
    const step = (s: number, loss: number): Progress => ({ kind: 'step', epoch: 1, batch: s, batches: 9, step: s, loss, correct: 0, images: 8, lr: 0.1, seconds: 1, epoch_end: null });
    foldLane(a, [step(1, 3), step(2, 2), step(3, 1)], 8);
    expect(recentLoss(a, 2)).toBe(1.5);
  });
});

describe('cell helpers', () => {
  it('takes published values by column name from the engine cell', () => {
    const c = labCell({ arch_string: '|x|', id: 5, values: [{ name: 'zc:synflow', value: 3.5, unit: '' } as never] }, 'NB201 cifar10');
    expect(c.published).toEqual({ 'zc:synflow': 3.5 });
    expect(c.index).toBe(5);
  });
  it('formats, compares and quotes', () => {
    expect(fmt(1.234567891)).toBe('1.23457');
    expect(fmt(undefined)).toBe('—');
    expect(sameValue(0.372346, 0.372346)).toBe(true);
    expect(sameValue(0.372346, 0.372347)).toBe(false);
    expect(shellQuote("|a~0|b'c")).toBe(`'|a~0|b'\\''c'`);
  });
});
