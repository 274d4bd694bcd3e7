// Experiments a chapter's answer needs (several algorithms over many seeds), run by the engine
// in the worker, the same way the Experiment view runs them; and the small statistics the
// prose states about them, computed from the engine's per-run outcomes.
import type { Algo, ExperimentEntry, Outcome } from '../types';
import type { Shell } from '../shell/types';

/** Runs `algos` with the page's settings over seeds 1..`runs`; resolves with every entry. */
export function runExperiment(shell: Shell, algos: readonly Algo[], runs: number, onProgress?: (done: number, total: number) => void): Promise<ExperimentEntry[]> {
  const params = algos.map((a) => shell.runParams(a));
  return new Promise<ExperimentEntry[]>((resolve, reject) => {
    const stop = shell.client.on((msg) => {
      if (msg.type === 'progress' && msg.task === 'experiment') onProgress?.(msg.done, msg.total);
      else if (msg.type === 'experimentDone') {
        const entries = msg.progress.entries;
        // Another experiment (the Experiment view's) is not ours.
        if (entries.length !== algos.length || entries.some((e, i) => e.algo !== algos[i] || e.summary.runs !== runs)) return;
        stop();
        resolve(entries);
      } else if (msg.type === 'crashed') {
        stop();
        reject(new Error(msg.message));
      }
    });
    shell.client.request({ type: 'startExperiment', params, seedStart: 1, runs }).catch((e: Error) => {
      stop();
      reject(e);
    });
  });
}

/** How many runs returned the cell most of them returned, and that cell. */
export function mostCommon(outcomes: readonly Outcome[]): { arch: number; count: number } | null {
  const counts = new Map<number, number>();
  for (const o of outcomes) counts.set(o.arch, (counts.get(o.arch) ?? 0) + 1);
  let best: { arch: number; count: number } | null = null;
  for (const [arch, count] of counts) if (!best || count > best.count || (count === best.count && arch < best.arch)) best = { arch, count };
  return best;
}

/** How many runs returned the most accurate of their own candidates (rank 1 among them). */
export function bestOfCandidates(outcomes: readonly Outcome[]): number {
  return outcomes.filter((o) => o.rank_among_candidates === 1).length;
}
