// The successive-halving bracket of a run, folded from its events: rungs as columns,
// candidates with their scores, promoted and pruned, epochs and seconds charged.
import type { Event } from '../types';

export type EntryStatus = 'waiting' | 'evaluated' | 'promoted' | 'pruned' | 'refunded';

export interface BracketEntry {
  arch: number;
  score?: number;
  test?: number;
  cost: number;
  epochs: number;
  status: EntryStatus;
}

export interface Rung {
  rung: number;
  objective: string;
  entries: BracketEntry[];
  seconds: number;
  epochs: number;
  /** Candidates kept for the next rung (the engine's `promoted` events), once decided. */
  kept: number;
  /** The score of the last candidate kept: the cut-off (engine events list the kept best first). */
  cutoff?: number;
  /** Whether the engine has announced who is kept. */
  decided: boolean;
  /** Run totals when the rung started and after its last evaluation (engine's `total_s`/`total_epochs`). */
  startS: number;
  endS: number;
  startEpochs: number;
  endEpochs: number;
}

/** An evaluation that crossed the budget and was given back. */
export interface Refund {
  rung: number | null;
  arch: number;
  /** What it cost (given back). */
  seconds: number;
  epochs: number;
  /** The run's total with it, which crossed the budget (engine's `total_s` of that evaluation). */
  wouldBeS: number;
}

export interface Bracket {
  rungs: Rung[];
  refunds: Refund[];
  /** Run totals so far (the engine's). */
  totalS: number;
  totalEpochs: number;
  /** The run's final totals, once done. */
  doneS: number | null;
  /** The last evaluation: a refund gives back its cost. */
  lastEval: { arch: number; totalS: number } | null;
}

export function emptyBracket(): Bracket {
  return { rungs: [], refunds: [], totalS: 0, totalEpochs: 0, doneS: null, lastEval: null };
}

/** Folds `events` into `b` (in place) and returns it. */
export function foldBracket(b: Bracket, events: readonly Event[]): Bracket {
  for (const e of events) {
    const rung = b.rungs[b.rungs.length - 1];
    switch (e.type) {
      case 'rung_started':
        b.rungs.push({
          rung: e.rung,
          objective: e.objective,
          entries: e.candidates.map((arch) => ({ arch, cost: 0, epochs: 0, status: 'waiting' })),
          seconds: 0,
          epochs: 0,
          kept: 0,
          decided: false,
          startS: b.totalS,
          endS: b.totalS,
          startEpochs: b.totalEpochs,
          endEpochs: b.totalEpochs,
        });
        break;
      case 'evaluated': {
        b.totalS = e.total_s;
        b.totalEpochs = e.total_epochs;
        b.lastEval = { arch: e.arch, totalS: e.total_s };
        // Within a rung, candidates are evaluated in their listed order.
        const entry = rung?.entries.find((x) => x.status === 'waiting' && x.arch === e.arch);
        if (rung && entry && e.objective === rung.objective) {
          entry.status = 'evaluated';
          entry.score = e.score;
          entry.test = e.test_acc;
          entry.cost = e.cost_s;
          entry.epochs = e.epochs;
          rung.seconds += e.cost_s;
          rung.epochs += e.epochs;
          rung.endS = e.total_s;
          rung.endEpochs = e.total_epochs;
        }
        break;
      }
      case 'refunded': {
        const entry = rung?.entries.filter((x) => x.status === 'evaluated').pop();
        if (rung && entry) {
          entry.status = 'refunded';
          rung.seconds -= e.cost_s;
          rung.epochs -= e.epochs;
        }
        b.refunds.push({ rung: rung && entry ? rung.rung : null, arch: b.lastEval?.arch ?? -1, seconds: e.cost_s, epochs: e.epochs, wouldBeS: b.lastEval?.totalS ?? b.totalS });
        b.totalS -= e.cost_s;
        b.totalEpochs -= e.epochs;
        if (rung && entry) {
          rung.endS = b.totalS;
          rung.endEpochs = b.totalEpochs;
        }
        break;
      }
      case 'promoted':
      case 'pruned': {
        const r = b.rungs.find((x) => x.rung === e.rung);
        const entry = r?.entries.find((x) => x.arch === e.arch && (x.status === 'evaluated' || x.status === 'waiting'));
        if (entry) entry.status = e.type;
        if (r) {
          r.decided = true;
          if (e.type === 'promoted') {
            r.kept += 1;
            r.cutoff = e.score;
          }
        }
        break;
      }
      case 'done':
        b.totalS = e.total_s;
        b.totalEpochs = e.total_epochs;
        b.doneS = e.total_s;
        break;
      default:
        break;
    }
  }
  return b;
}

/** Entries ranked for display: decided ones by score (best first), then the rest in order. */
export function ranked(r: Rung): BracketEntry[] {
  const decided = r.entries.some((x) => x.status === 'promoted' || x.status === 'pruned');
  if (!decided) return r.entries;
  return [...r.entries].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
}
