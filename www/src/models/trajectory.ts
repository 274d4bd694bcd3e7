// The trajectory of a run, folded from its event stream: what the trajectory view draws.
// Nothing is recomputed: every number is one the engine reported.
import type { Event } from '../types';

/** A point at a moment of the run: evaluations and simulated seconds so far, and a value. */
export interface Point {
  evals: number;
  cost: number;
  value: number;
  arch: number;
  /** The stage of a multi-stage algorithm (MF-NAS: 1 or 2); 0 for single-stage ones. */
  stage: number;
}

export interface Mark {
  evals: number;
  cost: number;
  label: string;
  stage: number;
  /** For a rung start: the rung (0-based) and the objective it ranks by. */
  rung?: { rung: number; objective: string };
}

export interface Trajectory {
  /** Scores of evaluated architectures, by objective label (stage 1 proxy, each rung, ...). */
  evaluated: Map<string, Point[]>;
  /** Best-so-far score, by objective label (NewBest events). */
  best: Map<string, Point[]>;
  /** Local search's current solution (Moved events), by objective label. */
  current: Map<string, Point[]>;
  /** Test accuracy of each evaluated architecture. */
  test: Point[];
  /** Test accuracy of the best-so-far architecture. */
  bestTest: Point[];
  escapes: Mark[];
  stages: Mark[];
  rungs: Mark[];
  /** Where we are now. */
  evals: number;
  cost: number;
  /** The objective of the last evaluation. */
  objective: string | null;
  /** The stage under way (0 before any stage or for single-stage algorithms). */
  stage: number;
  done: Extract<Event, { type: 'done' }> | null;
  /** Number of events folded in. */
  nEvents: number;
}

export function emptyTrajectory(): Trajectory {
  return {
    evaluated: new Map(),
    best: new Map(),
    current: new Map(),
    test: [],
    bestTest: [],
    escapes: [],
    stages: [],
    rungs: [],
    evals: 0,
    cost: 0,
    objective: null,
    stage: 0,
    done: null,
    nEvents: 0,
  };
}

/**
 * The most points a dense series (evaluations, moves, test accuracies, escapes) keeps. Beyond
 * it the series is thinned evenly (every other point dropped, then every 4th kept, ...), so
 * that a run of any budget folds in bounded memory; best-so-far series are never thinned.
 */
export const SERIES_CAP = 20_000;

/** Per thinned series: keep one point in `stride`; `since` counts points since the last kept. */
const strides = new WeakMap<object, { stride: number; since: number }>();

/** Appends `p` to a dense series, thinning it evenly to fewer than `SERIES_CAP` points. */
export function pushThinned<T>(list: T[], p: T) {
  let s = strides.get(list);
  if (!s) strides.set(list, (s = { stride: 1, since: 0 }));
  if (++s.since < s.stride) return;
  s.since = 0;
  list.push(p);
  if (list.length >= SERIES_CAP) {
    // Keep every other point; if the last one goes, the next kept is counted from the one before.
    const droppedLast = list.length % 2 === 0;
    let w = 0;
    for (let r = 0; r < list.length; r += 2) list[w++] = list[r];
    list.length = w;
    s.since = droppedLast ? s.stride : 0;
    s.stride *= 2;
  }
}

function push(m: Map<string, Point[]>, key: string, p: Point, thin = true) {
  let list = m.get(key);
  if (!list) m.set(key, (list = []));
  if (thin) pushThinned(list, p);
  else list.push(p);
}

/** Folds `events` into `t` (in place) and returns it. */
export function foldTrajectory(t: Trajectory, events: readonly Event[]): Trajectory {
  // Test accuracy of the last evaluation, to give NewBest its test accuracy (same arch).
  let lastArch = -1;
  let lastTest: number | undefined;
  for (const e of events) {
    t.nEvents++;
    const at = { evals: t.evals, cost: t.cost, stage: t.stage };
    switch (e.type) {
      case 'evaluated':
        t.evals = e.evals;
        t.cost = e.total_s;
        t.objective = e.objective;
        lastArch = e.arch;
        lastTest = e.test_acc;
        if (e.score !== undefined) push(t.evaluated, e.objective, { evals: e.evals, cost: e.total_s, value: e.score, arch: e.arch, stage: t.stage });
        if (e.test_acc !== undefined) pushThinned(t.test, { evals: e.evals, cost: e.total_s, value: e.test_acc, arch: e.arch, stage: t.stage });
        break;
      case 'new_best':
        push(t.best, t.objective ?? '', { ...at, value: e.score, arch: e.arch }, false);
        if (e.arch === lastArch && lastTest !== undefined) t.bestTest.push({ ...at, value: lastTest, arch: e.arch });
        break;
      case 'moved':
        push(t.current, t.objective ?? '', { ...at, value: e.score, arch: e.to });
        break;
      case 'escaped':
        pushThinned(t.escapes, { ...at, label: 'escape' });
        break;
      case 'stage_started':
        t.stage = e.stage;
        t.stages.push({ ...at, stage: e.stage, label: `stage ${e.stage}: ${e.label}` });
        break;
      case 'rung_started':
        t.rungs.push({ ...at, label: `rung ${e.rung} (${e.objective})`, rung: { rung: e.rung, objective: e.objective } });
        break;
      case 'refunded':
        t.cost -= e.cost_s;
        t.evals -= 1;
        break;
      case 'done':
        t.done = e;
        t.evals = e.evals;
        t.cost = e.total_s;
        break;
      case 'promoted':
      case 'pruned':
      case 'born':
      case 'died':
      case 'compared':
        break;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  }
  return t;
}
