// The model of a training race: per cell ("lane") its loss per step and validation accuracy
// per epoch, folded from the worker's progress messages; and the sentence that says who leads.
import type { Progress } from './protocol';

export interface Lane {
  /** "A" or "B". */
  label: string;
  archString: string;
  /** [step, training loss of the batch]. */
  losses: [number, number][];
  /** [epoch, validation accuracy %] (epoch 0: before training). */
  valAcc: [number, number][];
  /** [epoch, validation loss]. */
  valLoss: [number, number][];
  steps: number;
  epochs: number;
  imagesPerSecond: number;
  /** Validation in progress: images done of total. */
  validating: { done: number; total: number } | null;
  finished: boolean;
}

export function emptyLane(label: string, archString: string): Lane {
  return { label, archString, losses: [], valAcc: [], valLoss: [], steps: 0, epochs: 0, imagesPerSecond: 0, validating: null, finished: false };
}

export function foldLane(lane: Lane, items: Progress[], imagesPerSecond: number) {
  for (const p of items) {
    switch (p.kind) {
      case 'step':
        lane.losses.push([p.step, p.loss]);
        lane.steps = p.step;
        break;
      case 'validating':
        lane.validating = { done: p.done, total: p.total };
        break;
      case 'validated':
        lane.validating = null;
        lane.valAcc.push([p.epoch, p.val_acc]);
        lane.valLoss.push([p.epoch, p.val_loss]);
        lane.epochs = p.epoch;
        break;
      case 'finished':
        lane.finished = true;
        break;
    }
  }
  if (imagesPerSecond > 0) lane.imagesPerSecond = imagesPerSecond;
}

/** Mean training loss of the last `n` steps (NaN before any). */
export function recentLoss(lane: Lane, n = 10): number {
  const last = lane.losses.slice(-n);
  return last.length ? last.reduce((a, [, l]) => a + l, 0) / last.length : NaN;
}

/** The mean loss of each step's last `n` steps (a trend the eye can follow through the noise). */
export function smoothLosses(losses: readonly [number, number][], n = 10): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  losses.forEach(([step, loss], i) => {
    sum += loss;
    if (i >= n) sum -= losses[i - n][1];
    out.push([step, sum / Math.min(i + 1, n)]);
  });
  return out;
}

/** Who leads at the last epoch both lanes have validated, in words (empty when unknown). */
export function standing(a: Lane, b: Lane): string {
  const epoch = Math.min(a.epochs, b.epochs);
  if (epoch < 1) return '';
  const accA = a.valAcc.find(([e]) => e === epoch)?.[1];
  const accB = b.valAcc.find(([e]) => e === epoch)?.[1];
  if (accA === undefined || accB === undefined) return '';
  const gap = Math.abs(accA - accB);
  const when = `after epoch ${epoch}`;
  if (gap < 0.05) return `${when}, A and B are level at ${accA.toFixed(1)} % validation accuracy.`;
  const [lead, trail, hi, lo] = accA > accB ? ['A', 'B', accA, accB] : ['B', 'A', accB, accA];
  return `${when}, ${lead} leads ${trail} by ${gap.toFixed(1)} points (${hi.toFixed(1)} % vs ${lo.toFixed(1)} %).`;
}
