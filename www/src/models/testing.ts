// Hand-made engine events for the models' unit tests.
import type { Event } from '../types';

/** An `evaluated` event: `evals` charged evaluations and `total` seconds so far, this one included. */
export const evaluated = (arch: number, evals: number, total: number, objective: string, score: number | undefined, test = 90, cost = 10, epochs = 12): Event => ({
  type: 'evaluated',
  evals,
  arch,
  objective,
  score,
  test_acc: test,
  cost_s: cost,
  epochs,
  total_s: total,
  total_epochs: evals * epochs,
  charged: true,
});
