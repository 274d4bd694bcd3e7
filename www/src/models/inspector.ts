// The step inspector's model, folded from a run's events: every comparison local search
// made (the engine's `compared` events) with the evaluation it followed, and the
// neighbourhood of the current cell as tried so far. Every number is the engine's.
import type { EventOf, Event } from '../types';

export type Compared = EventOf<'compared'>;

export interface Step {
  /** Position among the run's comparisons, from 0. */
  index: number;
  /** The engine's event. */
  event: Compared;
  /** Charged evaluations so far (the candidate's evaluation included). */
  evals: number;
  /** Simulated seconds so far. */
  cost: number;
  /** The objective the candidate was scored on. */
  objective: string;
  /** The first step taken from this step's current cell (consecutive steps share it). */
  since: number;
}

/** The most comparisons kept: a longer run's later ones are counted, not kept. */
export const STEPS_KEPT = 50_000;

export interface Inspector {
  steps: Step[];
  /** Comparisons seen in all (more than `steps` once STEPS_KEPT is reached). */
  seen: number;
  /** The cell local search started from and its score, once evaluated. */
  start: { arch: number; score?: number; objective: string } | null;
  /** The last evaluation seen: the next comparison is about it. */
  last: { evals: number; cost: number; objective: string } | null;
  /** True once local search has ended (MF-NAS stage 2 began, or the run is done). */
  ended: boolean;
}

export function emptyInspector(): Inspector {
  return { steps: [], seen: 0, start: null, last: null, ended: false };
}

/** Folds `events` into `m` (in place) and returns it. */
export function foldInspector(m: Inspector, events: readonly Event[]): Inspector {
  for (const e of events) {
    switch (e.type) {
      case 'evaluated':
        if (m.ended) break;
        m.last = { evals: e.evals, cost: e.total_s, objective: e.objective };
        if (m.start === null) m.start = { arch: e.arch, score: e.score, objective: e.objective };
        break;
      case 'compared': {
        m.seen++;
        if (m.steps.length >= STEPS_KEPT) break;
        const prev = m.steps[m.steps.length - 1];
        const index = m.steps.length;
        m.steps.push({
          index,
          event: e,
          evals: m.last?.evals ?? 0,
          cost: m.last?.cost ?? 0,
          objective: m.last?.objective ?? '',
          since: prev && prev.event.from === e.from ? prev.since : index,
        });
        break;
      }
      case 'stage_started':
        if (e.stage > 1) m.ended = true;
        break;
      case 'done':
        m.ended = true;
        break;
      default:
        break;
    }
  }
  return m;
}

/** A neighbour tried from the current cell of step `at`, as the engine reported it. */
export interface Tried {
  /** The step that tried it. */
  step: number;
  score?: number;
  verdict: Compared['verdict'];
}

/**
 * The neighbours tried from step `at`'s current cell, up to and including step `at`,
 * by architecture id (escapes, which are not neighbours, are left out).
 */
export function triedAt(m: Inspector, at: number): Map<number, Tried> {
  const out = new Map<number, Tried>();
  const s = m.steps[at];
  if (!s) return out;
  for (let i = s.since; i <= at; i++) {
    const e = m.steps[i].event;
    if (e.verdict !== 'escape') out.set(e.to, { step: i, score: e.after, verdict: e.verdict });
  }
  return out;
}

/** The scores the colour scale spans: step `at`'s neighbourhood (and its current cell), or every score the run compared so far. */
export function scaleDomain(m: Inspector, at: number, scope: 'neighbourhood' | 'run'): [number, number] | null {
  const values: number[] = [];
  const s = m.steps[at];
  if (!s) return null;
  if (scope === 'run') {
    for (let i = 0; i <= at; i++) {
      const e = m.steps[i].event;
      if (e.after !== undefined) values.push(e.after);
      if (e.before !== undefined) values.push(e.before);
    }
  } else {
    if (s.event.before !== undefined) values.push(s.event.before);
    for (const t of triedAt(m, at).values()) if (t.score !== undefined) values.push(t.score);
    if (s.event.after !== undefined) values.push(s.event.after);
  }
  if (!values.length) return null;
  return [Math.min(...values), Math.max(...values)];
}
