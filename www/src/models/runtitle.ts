// The run's title as a sentence a student can read ("MF-NAS, seed 7, on NB201 cifar10: …"),
// made from what the engine says about the run (its run info: algorithm, objectives, ladder,
// budget, seed, and the numbers in its one-line label).
import type { RunInfo } from '../types';
import { type Words, label } from './glossary';
import { escapeHtml } from '../html';

const NAMES: Record<RunInfo['algo'], string> = {
  rs: 'Random search',
  ls: 'Local search',
  bls: 'Best-improvement local search',
  sh: 'Successive halving',
  rea: 'Regularised evolution',
  'rea-w': 'Regularised evolution with a warm start',
  'free-rea': 'FreeREA',
  'mf-nas': 'MF-NAS',
};

const STAGE1: Record<string, string> = {
  FLS: 'first-improvement local search',
  BLS: 'best-improvement local search',
  RS: 'random search',
};

const n = (v: number) => v.toLocaleString('en');

/** The run described in one or two sentences. */
export function runSentence(info: RunInfo, words: Words): string {
  const l = (key: string) => label(key, words);
  const objective = info.objectives[0] ?? '';
  const ladder = info.ladder.map(l);
  const chain = ladder.length > 1 ? `${ladder.slice(0, -1).join(', then ')}, then ${ladder[ladder.length - 1]}` : (ladder[0] ?? '');
  const budget = info.budget_s === undefined || info.budget_s === null ? 'no budget' : `a budget of ${n(info.budget_s)} simulated seconds`;
  const head = `${NAMES[info.algo]}, seed ${info.seed}, on ${info.table}`;
  let what: string;
  switch (info.algo) {
    case 'mf-nas': {
      // The engine's label: "MF-NAS (FLS on zc:P, M=2000; SH top 32 on …)".
      const m = /\((FLS|BLS|RS) on (zc:[^,]+), M=(\d+); SH top (\d+)/.exec(info.label);
      what = m
        ? `${STAGE1[m[1]]} scores ${n(Number(m[3]))} cells by their ${l(m[2])}; then successive halving trains the best ${n(Number(m[4]))} on ${chain}, keeping the best each round`
        : `a proxy-guided search, then successive halving on ${chain}`;
      break;
    }
    case 'sh': {
      const m = /SH \((\d+) random/.exec(info.label);
      what = `trains ${m ? n(Number(m[1])) : 'some'} random cells on ${chain}, keeping the best each round`;
      break;
    }
    case 'ls':
    case 'bls':
      what = `climbs from a random cell to better neighbours by ${l(objective)}, escaping local optima by two-edge jumps`;
      break;
    case 'rs':
      what = `scores random cells by ${l(objective)} and keeps the best`;
      break;
    case 'rea':
      what = `evolves a population of cells by ${l(objective)}, mutating the winners of small tournaments`;
      break;
    case 'rea-w': {
      const proxy = info.objectives.find((o) => o.startsWith('zc:'));
      what = `evolves a population of cells by ${l(objective)}, starting from the best cells by ${proxy ? l(proxy) : 'a proxy'}`;
      break;
    }
    case 'free-rea':
      what = `evolves cells by zero-cost proxies only (${info.objectives.map(l).join(', ')}), training none`;
      break;
  }
  return `${head}: ${what}. It has ${budget}.`;
}

/**
 * For the outcome line: how far a run was charged past its budget and the engine's rule that
 * allowed it (`RunInfo.budget_rule`), as HTML; empty within the budget or without one.
 */
export function overBudget(costS: number, info: Pick<RunInfo, 'budget_s' | 'budget_rule'> | null): string {
  const budget = info?.budget_s;
  if (budget === undefined || budget === null || !(costS > budget)) return '';
  return `<br><span class="over-budget">${n(Math.round(costS - budget))} s over the budget of ${n(budget)} s (${(costS / budget).toFixed(2)} times it): ${escapeHtml(info!.budget_rule)}.</span>`;
}
