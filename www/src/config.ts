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

/**
 * Play speeds in steps (evaluations) per second; "max" runs as fast as the worker can. The slow
 * ones are for teaching: one comparison of local search at a time, slow enough to read.
 */
export const SPEEDS = ['2', '5', '20', '100', '500', '2000', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/** The built-in views (the registry in shell/registry.ts may add more). */
export const VIEWS = ['run', 'landscape', 'experiment'] as const;

/**
 * Seeds the page, the URL and the engine accept: whole numbers 0 ..= 2^53 - 1 (every one is
 * exact as a JavaScript number, and the wasm engine takes exactly this range).
 */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;
/** The largest budget the page accepts, in simulated seconds (runs stream with bounded memory up to it). */
export const BUDGET_MAX_S = 1e12;

export const LON_KINDS = ['lon', 'mlon', 'cmlon'] as const;
export type LonKind = (typeof LON_KINDS)[number];

export const STAGE1 = ['fls', 'bls', 'rs'] as const;
// One spelling per metric (the engine's); state.ts still reads the older `val_test_acc`.
export const STAGE2_METRICS = ['val_acc', 'train_loss', 'val_loss', 'valtest_acc'] as const;
export type Stage2Metric = (typeof STAGE2_METRICS)[number];

/**
 * The Okabe–Ito palette: told apart with the common colour-vision deficiencies (deutan,
 * protan, tritan). Views also mark status by shape or glyph, never by colour alone.
 */
export const PALETTE = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

export const COLORS = {
  objective: PALETTE.blue,
  best: PALETTE.vermillion,
  test: PALETTE.green,
  bestTest: PALETTE.purple,
  escape: PALETTE.orange,
  stage: '#475569',
  promoted: PALETTE.blue,
  pruned: PALETTE.vermillion,
  pending: '#94a3b8',
  refunded: PALETTE.orange,
};

/** How often the main thread redraws charts while a run plays (ms). */
export const REDRAW_MS = 150;
