// "Train this cell": a reduced NB201 network of one cell (and, to race, of a second cell)
// trained live in the browser by the lab module, one worker per cell, on the same real
// CIFAR-10 images and seed; training loss per step and validation accuracy per epoch, pause /
// resume / stop, images per second, and the command that reproduces the curve natively.
import { TrainingSession, LabError } from './lab-client';
import { shellQuote, type LabCell } from './cell';
import type { Progress, TrainSettings, TrainingInfo } from './protocol';
import { emptyLane, foldLane, recentLoss, smoothLosses, standing, type Lane } from './race';
import { CurveChart, type Curve } from './curves';
import { timed } from '../perf';
import { escapeHtml } from '../html';

const COLORS = ['#2563eb', '#ea580c'];
const DASH = ['solid', 'dashed'] as const;
/** Redraws at most this often while training (the main thread stays free). */
const REDRAW_MS = 250;

type State = 'idle' | 'loading' | 'playing' | 'pausing' | 'paused' | 'stopped' | 'finished' | 'error';

export interface TrainingPanel {
  /** Trains another cell (any training is stopped first). */
  setCell(cell: LabCell): void;
  /** The cell to race against (arch string or NB201 index), or '' for none. */
  setRival(arch: string): void;
  play(): Promise<void>;
  pause(): Promise<void>;
  stop(): void;
  /** The curves so far (for tests and exports). */
  lanes(): Lane[];
  destroy(): void;
}

export function mountTraining(container: HTMLElement, cell: LabCell, opts: { rival?: string; settings?: Partial<TrainSettings> } = {}): TrainingPanel {
  let current = cell;
  let state: State = 'idle';
  let sessions: TrainingSession[] = [];
  let infos: TrainingInfo[] = [];
  let lanes: Lane[] = [];
  let redrawPending = false;

  const root = document.createElement('div');
  root.className = 'lab-panel lab-train';
  root.innerHTML = `
    <p class="lab-lead"><strong>A reduced network, not NAS-Bench-201's numbers.</strong> The cell is stacked into NB201's skeleton with
    <span class="lab-shape">C&nbsp;=&nbsp;8 channels and N&nbsp;=&nbsp;1 cell per stage</span> (NB201: C&nbsp;=&nbsp;16, N&nbsp;=&nbsp;5) and trained
    here, in your browser, on <span class="lab-data">2,000 real CIFAR-10 images at 16&nbsp;×&nbsp;16 pixels, 500 more held out for validation</span>
    (NB201: 50,000 at 32&nbsp;×&nbsp;32 for 200 epochs), with NB201's recipe: SGD with Nesterov momentum, weight decay, a cosine learning rate, random crops and flips.</p>
    <div class="lab-lanes">
      <div class="lab-lane" data-lane="0"><span class="lab-key" aria-hidden="true"></span><strong>A</strong> <span class="lab-lane-arch"></span>
        <span class="lab-lane-figures" role="status"></span></div>
      <div class="lab-lane" data-lane="1"><span class="lab-key" aria-hidden="true"></span><strong>B</strong> <span class="lab-lane-arch"></span>
        <label class="lab-rival">race against <input name="rival" placeholder="arch string or NB201 index (e.g. 9930), empty for none" /></label>
        <span class="lab-lane-figures" role="status"></span></div>
    </div>
    <div class="lab-row">
      <button type="button" class="lab-play">▶ Train</button>
      <button type="button" class="lab-stop" disabled>■ Stop</button>
      <label>Seed <input name="seed" type="number" min="0" step="1" /></label>
      <label>Epochs <input name="epochs" type="number" min="1" max="50" step="1" /></label>
      <span class="lab-status" role="status" aria-live="polite"></span>
    </div>
    <div class="lab-charts">
      <div class="chart lab-loss" role="img" aria-label="Training loss per step of each cell"></div>
      <div class="chart lab-acc" role="img" aria-label="Validation accuracy per epoch of each cell"></div>
    </div>
    <p class="lab-note lab-standing" aria-live="polite"></p>
    <p class="lab-note"><strong>What to look for.</strong> Both cells see the same images in the same order with the same seed, so the only difference
    is the cell. Early epochs rank cells only roughly: curves cross, and a cell that starts slowly can finish ahead. Successive halving bets that the
    order after a few epochs is good enough to throw half of the cells away; race two cells and see how often that bet holds.</p>
    <details class="lab-cli"><summary>The same training on the command line</summary><pre><code></code></pre>
    <p>With this site's <code>lab/cifar10-lab.bin</code>, in a build with <code>--features companion</code>; <code>--steps 20</code> stops after 20 steps
    and prints every step's loss, which equals the page's up to float rounding (see the README).</p></details>`;
  container.replaceChildren(root);
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const seedEl = $<HTMLInputElement>('input[name=seed]');
  const epochsEl = $<HTMLInputElement>('input[name=epochs]');
  const rivalEl = $<HTMLInputElement>('input[name=rival]');
  const status = $('.lab-status');
  seedEl.value = String(opts.settings?.seed ?? 0);
  epochsEl.value = String(opts.settings?.epochs ?? 10);
  rivalEl.value = opts.rival ?? '';
  root.querySelectorAll<HTMLElement>('.lab-key').forEach((k, i) => (k.style.borderTopColor = COLORS[i]) && (k.style.borderTopStyle = DASH[i]));
  const lossChart = new CurveChart($('.lab-loss'), {
    title: 'Training loss per step',
    xLabel: 'step',
    yLabel: 'cross-entropy',
    format: (v) => v.toFixed(3),
    xRange: (max) => [0, Math.max(1, max)],
  });
  const accChart = new CurveChart($('.lab-acc'), {
    title: 'Validation accuracy per epoch',
    xLabel: 'epoch',
    yLabel: '%',
    format: (v) => `${v.toFixed(1)} %`,
    xRange: () => [0, Math.max(1, Number(epochsEl.value))],
    yRange: (_min, max) => [0, Math.min(100, Math.max(30, Math.ceil((max + 5) / 10) * 10))],
  });

  function setState(s: State, text?: string) {
    state = s;
    root.dataset.state = s;
    if (text !== undefined) status.textContent = text;
    const running = s === 'playing' || s === 'pausing' || s === 'loading';
    const play = $<HTMLButtonElement>('.lab-play');
    play.textContent = s === 'playing' || s === 'pausing' ? '❚❚ Pause' : s === 'paused' ? '▶ Resume' : '▶ Train';
    play.disabled = s === 'loading' || s === 'pausing';
    $<HTMLButtonElement>('.lab-stop').disabled = !(running || s === 'paused');
    const locked = running || s === 'paused';
    seedEl.disabled = epochsEl.disabled = rivalEl.disabled = locked;
    // While a race runs, lane B shows its cell instead of the field that chose it.
    $('.lab-rival').hidden = locked && infos.length > 1;
  }

  function settings(): Partial<TrainSettings> {
    return { ...opts.settings, seed: Number(seedEl.value), epochs: Number(epochsEl.value) };
  }

  function describe() {
    const archHtml = (a: string, index?: number) => `<code>${escapeHtml(a)}</code>${index !== undefined ? ` · #${index}` : ''}`;
    $('.lab-lane[data-lane="0"] .lab-lane-arch').innerHTML = archHtml(current.archString, current.index);
    $('.lab-lane[data-lane="1"] .lab-lane-arch').innerHTML = infos[1] ? archHtml(infos[1].arch.arch_string, infos[1].arch.index) : '';
    const s = settings();
    const info = infos[0];
    const shape = info?.settings ?? { channels: 8, cells: 1, batch_size: 32, epochs: s.epochs, lr: 0.1, seed: s.seed };
    const archs = [current.archString, ...(infos[1] ? [infos[1].arch.arch_string] : rivalEl.value.trim() ? [rivalEl.value.trim()] : [])];
    $('.lab-cli code').textContent = archs
      .map((a) => `mfnas train --arch ${shellQuote(a)} --data lab/cifar10-lab.bin --channels ${shape.channels} --cells ${shape.cells} --batch-size ${shape.batch_size} --epochs ${s.epochs} --lr ${shape.lr} --seed ${s.seed}`)
      .join('\n');
    if (info) {
      $('.lab-shape').textContent = `C = ${info.settings.channels} channels and N = ${info.settings.cells} cell${info.settings.cells > 1 ? 's' : ''} per stage`;
      $('.lab-data').textContent = `${info.train_images.toLocaleString('en')} real CIFAR-10 images at ${info.side} × ${info.side} pixels, ${info.val_images.toLocaleString('en')} more held out for validation`;
    }
  }

  function lossCurves(): Curve[] {
    return lanes.flatMap((l, i) => [
      { label: `${l.label} each batch`, color: COLORS[i], dashed: DASH[i] === 'dashed', points: l.losses, faint: true },
      { label: `${l.label} mean of last 10`, color: COLORS[i], dashed: DASH[i] === 'dashed', points: smoothLosses(l.losses) },
    ]);
  }
  function accCurves(): Curve[] {
    return lanes.map((l, i) => ({ label: l.label, color: COLORS[i], dashed: DASH[i] === 'dashed', points: l.valAcc, marks: true }));
  }

  /** The lanes, validation points and epochs the accuracy chart was drawn for. */
  let accShown = '';
  const accKey = () => `${lanes.length}:${lanes.reduce((n, l) => n + l.valAcc.length, 0)}:${epochsEl.value}`;

  function redraw() {
    timed('lab training charts', () => {
      lossChart.set(lossCurves());
      // Validation points arrive once an epoch: the accuracy chart is redrawn only then.
      if (accKey() !== accShown) {
        accShown = accKey();
        accChart.set(accCurves());
      }
      lanes.forEach((l, i) => {
        const el = root.querySelector<HTMLElement>(`.lab-lane[data-lane="${i}"] .lab-lane-figures`)!;
        el.parentElement!.dataset.steps = String(l.steps);
        el.parentElement!.dataset.epochs = String(l.epochs);
        el.textContent =
          `${l.steps} steps · epoch ${Math.min(l.epochs + (l.finished ? 0 : 1), Number(epochsEl.value))} of ${epochsEl.value}` +
          (l.imagesPerSecond ? ` · ${l.imagesPerSecond.toFixed(0)} images/s` : '') +
          (Number.isFinite(recentLoss(l)) ? ` · loss ${recentLoss(l).toFixed(3)}` : '') +
          (l.valAcc.length ? ` · val ${l.valAcc[l.valAcc.length - 1][1].toFixed(1)} %` : '') +
          (l.validating ? ` · validating ${l.validating.done}/${l.validating.total}` : '');
      });
      $('.lab-standing').textContent = lanes.length === 2 ? standing(lanes[0], lanes[1]) : '';
    });
  }

  function scheduleRedraw() {
    if (redrawPending) return;
    redrawPending = true;
    setTimeout(() => {
      redrawPending = false;
      redraw();
    }, REDRAW_MS);
  }

  function onProgress(i: number, items: Progress[], rate: number) {
    timed('lab training progress', () => {
      const lane = lanes[i];
      if (!lane) return;
      foldLane(lane, items, rate);
      if (lanes.every((l) => l.finished) && state === 'playing') {
        endSessions();
        setState('finished', `Finished ${epochsEl.value} epochs.`);
      }
      scheduleRedraw();
    });
  }

  function endSessions() {
    for (const s of sessions) s.stop();
    sessions = [];
  }

  /** The state now (a function, so that checks after an `await` are not narrowed away). */
  const now = (): State => state;

  /** Starts a worker per cell; false (with the reason shown) when it could not. */
  async function start(): Promise<boolean> {
    setState('loading', 'Loading the lab module and its images…');
    const archs = [current.archString, rivalEl.value.trim()].filter(Boolean);
    lanes = archs.map((a, i) => emptyLane(i === 0 ? 'A' : 'B', a));
    infos = [];
    try {
      sessions = await Promise.all(
        archs.map((a, i) =>
          TrainingSession.start(
            a,
            settings(),
            (items, rate) => onProgress(i, items, rate),
            (message) => {
              if (state === 'stopped') return;
              endSessions();
              setState('error', `Cell ${i === 0 ? 'A' : 'B'}: ${message}`);
            },
          ),
        ),
      );
    } catch (e) {
      endSessions();
      const m = (e as Error).message;
      setState('error', e instanceof LabError && e.kind === 'invalid_architecture' ? `Cell B: ${m}` : `Could not start: ${m}`);
      return false;
    }
    infos = sessions.map((s) => s.info);
    lanes.forEach((l, i) => (l.archString = infos[i].arch.arch_string));
    describe();
    redraw();
    return now() === 'loading';
  }

  async function play() {
    if (state === 'playing' || state === 'loading' || state === 'pausing') return;
    if (state !== 'paused' && !(await start())) return;
    setState('playing', lanes.length === 2 ? 'Training both cells, one worker each…' : 'Training in a worker…');
    await Promise.all(sessions.map((s) => s.play())).catch(() => {});
  }

  async function pause() {
    if (state !== 'playing') return;
    const t0 = performance.now();
    setState('pausing', 'Pausing after the step in progress…');
    const done = await Promise.all(sessions.map((s) => s.pause())).catch(() => null);
    const ms = performance.now() - t0;
    root.dataset.pauseMs = String(Math.round(ms));
    if (now() !== 'pausing') return;
    setState('paused', done ? `Paused after ${done.map((d) => d.steps).join(' and ')} steps (answered in ${Math.round(ms)} ms).` : 'Paused.');
    redraw();
  }

  function stop() {
    if (state === 'idle' || state === 'stopped') return;
    const t0 = performance.now();
    endSessions();
    setState('stopped', 'Stopped: the curves stay; ▶ Train starts again from fresh weights.');
    root.dataset.stopMs = String(Math.round(performance.now() - t0));
    redraw();
  }

  $('.lab-play').onclick = () => void (state === 'playing' ? pause() : play());
  $('.lab-stop').onclick = stop;
  seedEl.onchange = rivalEl.onchange = describe;
  epochsEl.onchange = () => {
    describe();
    scheduleRedraw();
  };
  setState('idle', '');
  describe();
  redraw();

  return {
    setCell(cell) {
      stop();
      current = cell;
      lanes = [];
      infos = [];
      setState('idle', '');
      describe();
      redraw();
    },
    setRival(arch) {
      rivalEl.value = arch;
      describe();
    },
    play,
    pause,
    stop,
    lanes: () => lanes,
    destroy() {
      endSessions();
      lossChart.destroy();
      accChart.destroy();
      root.remove();
    },
  };
}
