// All UI state in one table, serialised to the URL so that a link replays the same run.
// Parsing never throws: a bad or unknown value becomes a problem message and the default.
import type { Algo, AlgoParams, Fidelity } from './types';
import {
  ALGOS,
  DATASETS,
  type Dataset,
  LON_KINDS,
  type LonKind,
  SPEEDS,
  type Speed,
  STAGE1,
  STAGE2_METRICS,
  type Stage2Metric,
  VIEWS,
  PAPER_ALGOS,
  SEED_MAX,
  BUDGET_MAX_S,
} from './config';

export interface UiState {
  dataset: Dataset;
  algo: Algo;
  /** Zero-cost proxy of MF-NAS stage 1 and REA+W (checked against the table once loaded). */
  zc: string;
  /** Budget in simulated seconds; null = the paper's for the dataset. */
  budget: number | null;
  seed: number;
  /** Successive-halving ladder as fidelity labels ("12@hp12", "200"); empty = the default. */
  ladder: string[];
  /** Survivors per rung; empty = the default. */
  keep: number[];
  stage1: (typeof STAGE1)[number];
  /** Stage-1 evaluations M; null = 2000. */
  m: number | null;
  /** Candidates k; null = 32. */
  k: number | null;
  stage2: Stage2Metric;
  speed: Speed;
  x: 'cost' | 'evals';
  /** The view shown (the id of a registered view). */
  view: string;
  /** Landscape metric (a column or proxy name). */
  metric: string;
  kind: LonKind;
  /** Experiment: seeds per algorithm and the algorithms. */
  runs: number;
  algos: Algo[];
  /** The architecture shown in the cell view, by table key. */
  arch: number | null;
  /** Where local search starts (LS, BLS, MF-NAS stage 1), by architecture id; null: a random cell. */
  start: number | null;
  present: boolean;
  /** Labels in plain words ("validation accuracy after 12 epochs") or exact (`val_acc@12@hp12`). */
  words: 'plain' | 'exact';
  /** Test hooks: "panic" makes the engine panic on load. */
  debug: '' | 'panic';
  /** URL parameters owned by registered views, as text (each view parses its own). */
  extra: Record<string, string>;
}

export const DEFAULTS: Readonly<UiState> = Object.freeze({
  dataset: 'cifar10',
  algo: 'mf-nas',
  zc: 'synflow',
  budget: null,
  seed: 1,
  ladder: [],
  keep: [],
  stage1: 'fls',
  m: null,
  k: null,
  stage2: 'val_acc',
  speed: '500',
  x: 'cost',
  view: 'run',
  metric: 'zc:synflow',
  kind: 'mlon',
  runs: 500,
  algos: [...PAPER_ALGOS],
  arch: null,
  start: null,
  present: false,
  words: 'plain',
  debug: '',
  extra: {},
} satisfies UiState);

/** The URL keys, in the order they are written. */
const KEYS = [
  'dataset', 'algo', 'zc', 'budget', 'seed', 'ladder', 'keep', 'stage1', 'm', 'k', 'stage2',
  'speed', 'x', 'view', 'metric', 'kind', 'runs', 'algos', 'arch', 'start', 'present', 'words', 'debug',
] as const satisfies readonly (keyof UiState)[];

export interface Parsed {
  state: UiState;
  /** One sentence per bad or unknown parameter, saying what was used instead. */
  problems: string[];
}

/** A parsed text field: its value, or a sentence saying what the field expects. */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; expects: string };

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const bad = <T>(expects: string): FieldResult<T> => ({ ok: false, expects });

function wholeNumber(text: string, min: number, max: number, what: string): FieldResult<number> {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (Number.isSafeInteger(n) && n >= min && n <= max) return ok(n);
  }
  return bad(`${what} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`);
}

/** The most epochs a fidelity can say (the engine counts them in 32 bits). */
const EPOCHS_MAX = 4_294_967_295;

/**
 * Parses a fidelity label as the core writes it: "200" (hp200), "hp12" or "25@hp200". The
 * engine's `Fidelity::parse` reads the same grammar; tests/data/fidelity_labels.json holds the
 * cases both are tested against, so the two cannot drift apart.
 */
export function parseFidelity(label: string): Fidelity | null {
  const t = label.trim();
  const epochs = (e: string) => (/^\d+$/.test(e) && Number(e) <= EPOCHS_MAX ? Number(e) : null);
  const at = /^(\d+)@([A-Za-z0-9_-]+)$/.exec(t);
  const n = at ? epochs(at[1]) : epochs(t) ?? (/^hp\d+$/.test(t) ? epochs(t.slice(2)) : null);
  if (n === null) return null;
  return { epochs: n, schedule: at ? at[2] : /^\d+$/.test(t) ? 'hp200' : t };
}

/**
 * The text fields of the page, each parsed by one function shared by the URL and the form, so
 * that both accept the same values and say the same thing about a bad one. An empty text means
 * "the default" where the field has one.
 */
export const FIELDS = {
  seed: (t: string): FieldResult<number> => wholeNumber(t, 0, SEED_MAX, 'The seed'),
  budget: (t: string): FieldResult<number | null> => {
    if (t.trim() === '') return ok(null);
    const n = Number(t.trim());
    return Number.isFinite(n) && n > 0 && n <= BUDGET_MAX_S
      ? ok(n)
      : bad(`The budget must be a number of simulated seconds above 0 and at most ${BUDGET_MAX_S.toExponential(0).replace('e+', 'e')} (or empty for the paper's budget)`);
  },
  m: (t: string): FieldResult<number | null> => (t.trim() === '' ? ok(null) : wholeNumber(t, 1, 1_000_000, 'Stage-1 evaluations M')),
  k: (t: string): FieldResult<number | null> => (t.trim() === '' ? ok(null) : wholeNumber(t, 1, 15_625, 'Candidates k')),
  runs: (t: string): FieldResult<number> => wholeNumber(t, 1, 10_000, 'Seeds per algorithm'),
  ladder: (t: string): FieldResult<string[]> => {
    const parts = t.split(',').map((p) => p.trim()).filter(Boolean);
    const wrong = parts.filter((p) => parseFidelity(p) === null);
    if (wrong.length === 0) return ok(parts);
    return bad(
      `The ladder is a list of fidelities separated by commas, each epochs (200) or epochs@schedule (12@hp12), e.g. 12,25,50,100,200 or 12@hp12,200; "${wrong[0]}" is neither`,
    );
  },
  keep: (t: string): FieldResult<number[]> => {
    const parts = t.split(',').map((p) => p.trim()).filter(Boolean);
    const wrong = parts.find((p) => !/^\d+$/.test(p) || Number(p) < 1);
    if (wrong === undefined) return ok(parts.map(Number));
    return bad(`Survivors per rung are whole numbers of at least 1 separated by commas, like 4 or 16,8,4,2; "${wrong}" is not`);
  },
} as const;
export type FieldName = keyof typeof FIELDS;

function oneOf<T extends string>(key: string, value: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${key}=${value} is not one of ${allowed.join(', ')}; using ${fallback}.`);
  return fallback;
}

/**
 * Reads the URL query. `viewParams` are the URL keys that registered views own (kept as text
 * in `extra`; each view parses its own).
 */
export function parseUrl(search: string, known: { views?: readonly string[]; viewParams?: readonly string[] } = {}): Parsed {
  const views = known.views ?? VIEWS;
  const viewParams = known.viewParams ?? [];
  const q = new URLSearchParams(search);
  const s: UiState = { ...DEFAULTS, algos: [...DEFAULTS.algos], ladder: [], keep: [], extra: {} };
  const problems: string[] = [];
  for (const key of new Set(q.keys())) {
    if ((KEYS as readonly string[]).includes(key)) continue;
    if (viewParams.includes(key)) s.extra[key] = q.get(key) ?? '';
    else problems.push(`Unknown URL parameter "${key}" was ignored.`);
  }
  const get = (k: (typeof KEYS)[number]) => {
    const v = q.get(k);
    return v === null || v === '' ? null : v;
  };
  const field = (key: FieldName, v: string, fallback: string): unknown => {
    const r = FIELDS[key](v);
    if (r.ok) return r.value;
    problems.push(`${key}=${v}: ${r.expects}; using ${fallback}.`);
    return undefined;
  };
  let v: string | null;
  let r: unknown;
  if ((v = get('dataset')) !== null) s.dataset = oneOf('dataset', v, Object.keys(DATASETS) as Dataset[], DEFAULTS.dataset, problems);
  if ((v = get('algo')) !== null) s.algo = oneOf('algo', v, Object.keys(ALGOS) as Algo[], DEFAULTS.algo, problems);
  if ((v = get('zc')) !== null) {
    if (/^[A-Za-z0-9_-]{1,40}$/.test(v)) s.zc = v;
    else problems.push(`zc=${v} is not a proxy name; using ${DEFAULTS.zc}.`);
  }
  if ((v = get('budget')) !== null && (r = field('budget', v, "the paper's budget")) !== undefined) s.budget = r as number | null;
  if ((v = get('seed')) !== null && (r = field('seed', v, `seed ${DEFAULTS.seed}`)) !== undefined) s.seed = r as number;
  if ((v = get('ladder')) !== null && (r = field('ladder', v, 'the default ladder')) !== undefined) s.ladder = r as string[];
  if ((v = get('keep')) !== null && (r = field('keep', v, 'the default')) !== undefined) s.keep = r as number[];
  if ((v = get('stage1')) !== null) s.stage1 = oneOf('stage1', v, STAGE1, DEFAULTS.stage1, problems);
  if ((v = get('m')) !== null && (r = field('m', v, 'the default')) !== undefined) s.m = r as number | null;
  if ((v = get('k')) !== null && (r = field('k', v, 'the default')) !== undefined) s.k = r as number | null;
  // Older links spell valtest_acc as val_test_acc.
  if ((v = get('stage2')) !== null) s.stage2 = oneOf('stage2', v === 'val_test_acc' ? 'valtest_acc' : v, STAGE2_METRICS, DEFAULTS.stage2, problems);
  if ((v = get('speed')) !== null) s.speed = oneOf('speed', v, SPEEDS, DEFAULTS.speed, problems);
  if ((v = get('x')) !== null) s.x = oneOf('x', v, ['cost', 'evals'] as const, DEFAULTS.x, problems);
  if ((v = get('view')) !== null) s.view = oneOf('view', v, views, DEFAULTS.view, problems);
  if ((v = get('metric')) !== null) {
    if (/^[A-Za-z0-9_:@.-]{1,60}$/.test(v)) s.metric = v;
    else problems.push(`metric=${v} is not a metric name; using ${DEFAULTS.metric}.`);
  }
  if ((v = get('kind')) !== null) s.kind = oneOf('kind', v, LON_KINDS, DEFAULTS.kind, problems);
  if ((v = get('runs')) !== null && (r = field('runs', v, `${DEFAULTS.runs}`)) !== undefined) s.runs = r as number;
  if ((v = get('algos')) !== null) {
    const list = v.split(',');
    const wrong = list.filter((a) => !(a in ALGOS));
    if (wrong.length === 0) s.algos = [...new Set(list)] as Algo[];
    else problems.push(`algos=${v}: ${wrong.join(', ')} ${wrong.length > 1 ? 'are not algorithms' : 'is not an algorithm'} (choose from ${Object.keys(ALGOS).join(', ')}); using the paper's list.`);
  }
  if ((v = get('arch')) !== null) {
    const a = wholeNumber(v, 0, 15_624, 'The architecture');
    if (a.ok) s.arch = a.value;
    else problems.push(`arch=${v}: ${a.expects}; none shown.`);
  }
  if ((v = get('start')) !== null) {
    // The engine checks the id against the table's space (NB201: 0..15624) when the run starts.
    const a = wholeNumber(v, 0, Number.MAX_SAFE_INTEGER, 'The start cell');
    if (a.ok) s.start = a.value;
    else problems.push(`start=${v}: ${a.expects} (a cell's index); local search starts at a random cell.`);
  }
  if ((v = get('present')) !== null) s.present = oneOf('present', v, ['0', '1'] as const, '0', problems) === '1';
  if ((v = get('words')) !== null) s.words = oneOf('words', v, ['plain', 'exact'] as const, DEFAULTS.words, problems);
  if ((v = get('debug')) !== null) s.debug = oneOf('debug', v, ['panic'] as const, 'panic', problems);
  return { state: s, problems };
}

function show(key: (typeof KEYS)[number], s: UiState): string | null {
  const val = s[key];
  const def = DEFAULTS[key];
  if (JSON.stringify(val) === JSON.stringify(def)) return null;
  if (Array.isArray(val)) return val.join(',');
  if (typeof val === 'boolean') return val ? '1' : '0';
  return val === null ? null : String(val);
}

/** The query string of `s`, with only the values that differ from the defaults. */
export function toSearch(s: UiState): string {
  const q = new URLSearchParams();
  for (const k of KEYS) {
    const v = show(k, s);
    if (v !== null) q.set(k, v);
  }
  for (const [k, v] of Object.entries(s.extra)) if (v !== '') q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Whether `search` is the bare address (no parameter at all): the landing page, which opens the first chapter. */
export function isLanding(search: string): boolean {
  return new URLSearchParams(search).toString() === '';
}

/**
 * The query written to the address bar for `s`: `toSearch(s)`, but never empty, because the
 * bare address is the landing page (the explorer at its defaults says `?view=run`).
 */
export function addressOf(s: UiState): string {
  return toSearch(s) || `?view=${s.view}`;
}

/** The algorithm parameters of the run described by `s` (defaults left to the engine). */
export function runParams(s: UiState, algo: Algo = s.algo, fallbackBudget: number | null = null): AlgoParams {
  const p: AlgoParams = { algo };
  const budget = s.budget ?? fallbackBudget;
  if (budget !== null && algo !== 'free-rea') p.budget_s = budget;
  if (algo === 'mf-nas' || algo === 'rea-w') p.zc = s.zc;
  if (algo === 'mf-nas' || algo === 'sh') {
    if (s.ladder.length) p.ladder = s.ladder.map((l) => parseFidelity(l)!);
    if (s.keep.length) p.keep = s.keep;
    if (s.k !== null) p.candidates = s.k;
    if (s.stage2 !== DEFAULTS.stage2) p.stage2_metric = s.stage2;
  }
  if (algo === 'mf-nas') {
    p.stage1 = s.stage1;
    if (s.m !== null) p.stage1_evals = s.m;
  }
  return p;
}

/** Whether runs of `algo` (with MF-NAS stage 1 `stage1`) start from one cell: local search does. */
export function startsFromCell(algo: Algo, stage1: UiState['stage1']): boolean {
  return algo === 'ls' || algo === 'bls' || (algo === 'mf-nas' && stage1 !== 'rs');
}

/** The parameters of the page's own run: `runParams` and, where it applies, the chosen start cell. */
export function playedRunParams(s: UiState, fallbackBudget: number | null = null): AlgoParams {
  const p = runParams(s, s.algo, fallbackBudget);
  if (s.start !== null && startsFromCell(s.algo, s.stage1)) p.start = `#${s.start}`;
  return p;
}
