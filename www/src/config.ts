// Constants of the explorer in one place.
import type { Algo } from './types';

/** The tables the page can load: packed files served from tables/, or the synthetic one. */
export const DATASETS = {
  cifar10: { label: 'NB201 CIFAR-10', file: 'nb201-cifar10.mfnt' },
  cifar100: { label: 'NB201 CIFAR-100', file: 'nb201-cifar100.mfnt' },
  'ImageNet16-120': { label: 'NB201 ImageNet16-120', file: 'nb201-ImageNet16-120.mfnt' },
  'cifar10-curves200': { label: 'NB201 CIFAR-10, 200 archs with full curves', file: 'nb201-cifar10-curves200.mfnt' },
  synthetic: { label: 'Synthetic NB201 (made-up numbers, for demos)', file: null },
} as const;
export type Dataset = keyof typeof DATASETS;

/** Seed of the synthetic table (3, as the native/wasm parity fixture tests/data/parity_synthetic3.json). */
export const SYNTHETIC_SEED = 3;
/** Budget used on tables without a paper budget (the synthetic one), in seconds. */
export const FALLBACK_BUDGET_S = 20_000;

export const ALGOS: Record<Algo, string> = {
  rs: 'Random search',
  ls: 'Local search (FLS)',
  bls: 'Local search (BLS)',
  sh: 'Successive halving',
  rea: 'REA',
  'rea-w': 'REA+W (warm start)',
  'free-rea': 'FreeREA',
  'mf-nas': 'MF-NAS',
};

/** The paper's table, in its order (no BLS row). */
export const PAPER_ALGOS: Algo[] = ['rs', 'ls', 'sh', 'rea', 'rea-w', 'free-rea', 'mf-nas'];

/** Play speeds in steps (evaluations) per second; "max" runs as fast as the worker can. */
export const SPEEDS = ['20', '100', '500', '2000', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

export const VIEWS = ['run', 'landscape', 'experiment'] as const;
export type View = (typeof VIEWS)[number];

export const LON_KINDS = ['lon', 'mlon', 'cmlon'] as const;
export type LonKind = (typeof LON_KINDS)[number];

export const STAGE1 = ['fls', 'bls', 'rs'] as const;
// One spelling per metric (the engine's); state.ts still reads the older `val_test_acc`.
export const STAGE2_METRICS = ['val_acc', 'train_loss', 'val_loss', 'valtest_acc'] as const;
export type Stage2Metric = (typeof STAGE2_METRICS)[number];

export const COLORS = {
  objective: '#2563eb',
  best: '#dc2626',
  test: '#059669',
  bestTest: '#7c3aed',
  escape: '#f59e0b',
  stage: '#475569',
  promoted: '#16a34a',
  pruned: '#dc2626',
  pending: '#94a3b8',
  refunded: '#f59e0b',
};

/** How often the main thread redraws charts while a run plays (ms). */
export const REDRAW_MS = 150;
