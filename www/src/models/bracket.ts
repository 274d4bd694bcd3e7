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
}

export interface Bracket {
  rungs: Rung[];
}

export function emptyBracket(): Bracket {
  return { rungs: [] };
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
        });
        break;
      case 'evaluated': {
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
        break;
      }
      case 'promoted':
      case 'pruned': {
        const r = b.rungs.find((x) => x.rung === e.rung);
        const entry = r?.entries.find((x) => x.arch === e.arch && (x.status === 'evaluated' || x.status === 'waiting'));
        if (entry) entry.status = e.type;
        break;
      }
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
