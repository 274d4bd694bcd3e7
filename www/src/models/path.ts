// A run's way through the search space, folded from its events, for drawing on the map:
// the cells it stood on in order (local search's current cell; otherwise its best so far),
// every cell it evaluated, stage 2's candidates and the cell it returned.
import type { Event } from '../types';

export interface RunPath {
  /** Cells in visiting order (architecture ids): start, then every move and escape. */
  steps: number[];
  /** Which of `steps` were reached by an escape (index into `steps`). */
  escapes: number[];
  /** Every cell evaluated, first evaluation first, each once. */
  evaluated: number[];
  /** Successive halving's candidates (first rung), if any. */
  candidates: number[];
  /** The returned cell, once done. */
  final: number | null;
  /** Whether the steps follow local search (true) or the best so far (false). */
  local: boolean;
  /** Whether the steps stopped at STEPS_KEPT (a very long run). */
  truncated: boolean;
}

/** The most steps kept; a longer path stops there (and says so). */
export const PATH_KEPT = 50_000;

export function emptyPath(): RunPath {
  return { steps: [], escapes: [], evaluated: [], candidates: [], final: null, local: false, truncated: false };
}

/** Folds `events` into `p` (in place) and returns it. */
export function foldPath(p: RunPath, events: readonly Event[], seen: Set<number> = pathSeen(p)): RunPath {
  for (const e of events) {
    switch (e.type) {
      case 'evaluated':
        if (!seen.has(e.arch)) {
          seen.add(e.arch);
          p.evaluated.push(e.arch);
        }
        break;
      case 'compared':
        // Local search: its start is the first current cell.
        if (!p.local) {
          p.local = true;
          p.steps = [e.from];
          p.escapes = [];
        }
        break;
      case 'moved':
        step(p, e.to, false);
        break;
      case 'escaped':
        step(p, e.to, true);
        break;
      case 'new_best':
        if (!p.local && p.candidates.length === 0) step(p, e.arch, false);
        break;
      case 'rung_started':
        if (p.candidates.length === 0) p.candidates = [...e.candidates];
        break;
      case 'done':
        p.final = e.arch;
        break;
      default:
        break;
    }
  }
  return p;
}

function step(p: RunPath, key: number, escape: boolean) {
  if (p.steps.length >= PATH_KEPT) {
    p.truncated = true;
    return;
  }
  if (escape) p.escapes.push(p.steps.length);
  p.steps.push(key);
}

const SEEN = new WeakMap<RunPath, Set<number>>();

/** The set of evaluated cells of `p`, kept beside it so that folding stays linear. */
function pathSeen(p: RunPath): Set<number> {
  let s = SEEN.get(p);
  if (!s) {
    s = new Set(p.evaluated);
    SEEN.set(p, s);
  }
  return s;
}
