// The guided path: six short chapters, each a few paragraphs beside one live figure, in order.
// This list is small and loaded with the shell (the registry asks it whether a chapter follows
// the run); each chapter's module, with its figure, loads only when the chapter is opened.
import type { UiState } from '../state';
import { DEFAULTS } from '../state';
import type { ChapterModule } from './types';

export type ChapterId = 'cell' | 'hill-climbing' | 'proxies' | 'halving' | 'mf-nas' | 'paper';

export interface ChapterSpec {
  id: ChapterId;
  /** The chapter's title. */
  title: string;
  /** Its name in the chapter list. */
  short: string;
  /** Whether its figure follows the shell's run (the play bar shows above it). */
  usesRun: boolean;
  /** Whether its figure depends on the seed (the seed picker shows). */
  seeded: boolean;
  /** The settings its figure needs, applied when the chapter is entered. */
  settings: Partial<Omit<UiState, 'extra'>> & { extra?: Record<string, string> };
  /** Where its figure opens in the free-form explorer: the view (the chapter's settings come along). */
  explorer: { view: string; extra?: Record<string, string> };
  load: () => Promise<ChapterModule>;
}

/** The view id of the chapters (the landing page). */
export const CHAPTERS_VIEW = 'chapters';
/** The URL key naming the chapter. */
export const CHAPTER_PARAM = 'chapter';

export const CHAPTERS: readonly ChapterSpec[] = [
  {
    id: 'cell',
    title: 'A cell and its numbers',
    short: 'A cell',
    usesRun: false,
    seeded: true,
    settings: {},
    explorer: { view: 'run' },
    load: () => import('./cell'),
  },
  {
    id: 'hill-climbing',
    title: 'Hill climbing and local optima',
    short: 'Hill climbing',
    usesRun: true,
    seeded: true,
    settings: { algo: 'ls', speed: '5', x: 'evals' },
    explorer: { view: 'run' },
    load: () => import('./hill-climbing'),
  },
  {
    id: 'proxies',
    title: 'Zero-cost proxies, and where they mislead',
    short: 'Proxies',
    usesRun: false,
    seeded: false,
    settings: { zc: 'synflow', metric: 'zc:synflow' },
    explorer: { view: 'landscape', extra: { metric2: 'test_acc@200' } },
    load: () => import('./proxies'),
  },
  {
    id: 'halving',
    title: 'Successive halving',
    short: 'Halving',
    usesRun: true,
    seeded: true,
    settings: { algo: 'sh', speed: '5', runs: 100 },
    explorer: { view: 'run' },
    load: () => import('./halving'),
  },
  {
    id: 'mf-nas',
    title: 'MF-NAS: both at once, against the baselines',
    short: 'MF-NAS',
    usesRun: true,
    seeded: true,
    settings: { algo: 'mf-nas', zc: 'synflow', speed: '500', runs: 100, extra: { vs: 'ls' } },
    explorer: { view: 'run' },
    load: () => import('./mf-nas'),
  },
  {
    id: 'paper',
    title: 'Reproducing the paper, and what our data changes',
    short: 'The paper',
    usesRun: false,
    seeded: false,
    settings: { runs: 100 },
    explorer: { view: 'experiment' },
    load: () => import('./paper'),
  },
];

/** The chapter a state shows (the first one when it names none or an unknown one). */
export function chapterOf(state: Readonly<UiState>): ChapterSpec {
  return CHAPTERS.find((c) => c.id === state.extra[CHAPTER_PARAM]) ?? CHAPTERS[0];
}

/**
 * Keys a reader carries from chapter to chapter (the dataset and seed they picked, how the page
 * looks); every other setting is the chapter's own.
 */
const CARRIED = ['dataset', 'seed', 'present', 'words'] as const satisfies readonly (keyof UiState)[];

/** The state of entering chapter `c` from `from`: its settings over the defaults, the carried keys kept. */
export function enterState(c: ChapterSpec, from: Readonly<UiState>): UiState {
  const { extra, ...settings } = c.settings;
  const kept = Object.fromEntries(CARRIED.map((k) => [k, from[k]])) as Partial<UiState>;
  return {
    ...DEFAULTS,
    algos: [...DEFAULTS.algos],
    ...settings,
    ...kept,
    view: CHAPTERS_VIEW,
    extra: { ...(extra ?? {}), [CHAPTER_PARAM]: c.id },
  };
}

/**
 * The settings of chapter `c` that an address opened directly does not set itself: applied on
 * load, so that a shared link keeps what it says (a seed, a speed) and gets what the figure needs.
 */
export function missingSettings(c: ChapterSpec, search: string): Partial<UiState> {
  const q = new URLSearchParams(search);
  const { extra, ...settings } = c.settings;
  const patch: Partial<UiState> = {};
  for (const [k, v] of Object.entries(settings)) if (!q.has(k)) (patch as Record<string, unknown>)[k] = v;
  const missingExtra = Object.entries(extra ?? {}).filter(([k]) => !q.has(k));
  if (missingExtra.length) patch.extra = Object.fromEntries(missingExtra);
  return patch;
}

/**
 * The state of chapter `c`'s figure in the explorer: the same settings on the explorer's view
 * (the chapter stays named, so that the Chapters tab returns to it).
 */
export function explorerState(c: ChapterSpec, state: Readonly<UiState>): Partial<UiState> {
  return { view: c.explorer.view, extra: { ...state.extra, ...(c.explorer.extra ?? {}) } };
}

/** The chapter's settings as a patch of `state` (its own URL keys merged into the others). */
export function settingsPatch(c: ChapterSpec, state: Readonly<UiState>): Partial<UiState> {
  const { extra, ...settings } = c.settings;
  return { ...settings, extra: { ...state.extra, ...(extra ?? {}), [CHAPTER_PARAM]: c.id } };
}
