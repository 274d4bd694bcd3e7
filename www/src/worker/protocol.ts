// The typed protocol between the page and the engine worker. Every request carries a `type`
// tag and an id; the worker answers each with exactly one `reply` or `error` of that id, and
// may push unsolicited messages (`events`, `progress`, `crashed`) in between. Both sides
// switch over the tags exhaustively (see `assertNever`).
import type {
  AlgoParams,
  CellLandscape,
  Funnel,
  Neighbour,
  SpaceMap,
  WholeRun,
  LandscapeSummary,
  LonExport,
  ArchInfo,
  ExperimentProgress,
  PaperPage,
  ReportProgress,
  ReportRequest,
  PaperResult,
  RunInfo,
  StepBatch,
  TableInfo,
} from '../types';
import type { Packed } from './wire';

/** A table to load: a packed file by URL (checked against its size and SHA-256), or the synthetic one. */
export type TableSource =
  | { kind: 'url'; url: string; bytes?: number; sha256?: string }
  | { kind: 'synthetic'; seed: number };

export type Request =
  | { type: 'loadTable'; id: number; source: TableSource }
  | { type: 'startRun'; id: number; params: AlgoParams; seed: number }
  | { type: 'play'; id: number; stepsPerSecond: number | null }
  | { type: 'pause'; id: number }
  | { type: 'step'; id: number; steps: number }
  | { type: 'finish'; id: number }
  /** `arch`: an architecture's id (on NB201 its index in the benchmark, as the page shows it). */
  | { type: 'arch'; id: number; arch: number }
  | { type: 'parseArch'; id: number; text: string }
  | { type: 'startExperiment'; id: number; params: AlgoParams[]; seedStart: number; runs: number }
  | { type: 'cancelExperiment'; id: number }
  | { type: 'landscapeMetrics'; id: number }
  /** With `maxEdges`, only the heaviest edges between different nodes come (what the page draws); `edgesTotal` counts them all. */
  | { type: 'landscape'; id: number; metric: string; kind: 'lon' | 'mlon' | 'cmlon'; maxEdges?: number }
  | { type: 'landscapeSummary'; id: number; metric: string }
  | { type: 'spaceMap'; id: number; metric: string }
  | { type: 'funnel'; id: number; metric: string }
  | { type: 'neighbours'; id: number; arch: number }
  /** The cell editor's data: cell `arch` (its id) among its neighbours, its climb, local optimum and basin under `metric`. */
  | { type: 'cellLandscape'; id: number; arch: number; metric: string }
  | { type: 'wholeRun'; id: number; params: AlgoParams; seed: number }
  | { type: 'paperNumbers'; id: number }
  /** Starts the paper report of the loaded table; progress comes as `progress` (task 'paper'), the report as `paperDone`. */
  | { type: 'paperStart'; id: number; request: ReportRequest }
  | { type: 'paperCancel'; id: number }
  /** The objectives of a configuration that score only part of the loaded table. */
  | { type: 'coverage'; id: number; params: AlgoParams }
  | { type: 'debugPanic'; id: number }
  /** How much memory the engine holds (for the end-to-end test of bounded work). */
  | { type: 'memory'; id: number }
  /** The page has folded the events message `seq` (flow control: the play loop stays at most a few batches ahead). */
  | { type: 'ack'; id: number; seq: number };

export type RequestType = Request['type'];

/** What each request answers with. */
export interface Results {
  loadTable: TableInfo;
  startRun: RunInfo;
  play: { playing: boolean };
  pause: { playing: boolean };
  step: StepBatch;
  finish: { playing: boolean };
  arch: ArchInfo;
  parseArch: number;
  startExperiment: { total: number };
  cancelExperiment: { cancelled: boolean };
  landscapeMetrics: string[];
  landscape: LonExport & { edgesTotal: number };
  landscapeSummary: LandscapeSummary;
  spaceMap: SpaceMap;
  funnel: Funnel;
  neighbours: Neighbour[];
  cellLandscape: CellLandscape;
  wholeRun: WholeRun;
  paperNumbers: PaperResult[];
  paperStart: ReportProgress;
  paperCancel: { cancelled: boolean };
  coverage: string[];
  debugPanic: null;
  memory: { wasmBytes: number };
  ack: null;
}

/** A request without its id, as the client's callers write it. */
export type RequestBody<K extends RequestType> = Omit<Extract<Request, { type: K }>, 'id'>;

/** What each reply carries on the wire: the result, except that networks and funnels travel in columns (./wire.ts). */
export type WireResults = Omit<Results, 'landscape' | 'funnel'> & { landscape: Packed; funnel: Packed };

export type Response =
  | { [K in RequestType]: { type: 'reply'; id: number; request: K; result: WireResults[K] } }[RequestType]
  | { type: 'error'; id: number; message: string; kind: string }
  /** Events of the playing run, one slice at a time. */
  | { type: 'events'; batch: StepBatch; playing: boolean; sliceMs: number; seq: number; limit?: number }
  /** Progress of a long task. */
  | { type: 'progress'; task: 'table' | 'experiment' | 'paper'; done: number; total: number; phase?: string }
  /** The paper report finished. */
  | { type: 'paperDone'; page: PaperPage; ms: number }
  /** The experiment finished. */
  | { type: 'experimentDone'; progress: ExperimentProgress; ms: number }
  /** The engine panicked or failed; the worker must be restarted. */
  | { type: 'crashed'; message: string };

export const REQUEST_TYPES = [
  'loadTable',
  'startRun',
  'play',
  'pause',
  'step',
  'finish',
  'arch',
  'parseArch',
  'startExperiment',
  'cancelExperiment',
  'landscapeMetrics',
  'landscape',
  'landscapeSummary',
  'spaceMap',
  'funnel',
  'neighbours',
  'cellLandscape',
  'wholeRun',
  'paperNumbers',
  'paperStart',
  'paperCancel',
  'coverage',
  'debugPanic',
  'memory',
  'ack',
] as const satisfies readonly RequestType[];

/** Fails to type-check if a request type is missing from `REQUEST_TYPES`. */
export const REQUEST_TYPES_ARE_COMPLETE: [Exclude<RequestType, (typeof REQUEST_TYPES)[number]>] extends [never]
  ? true
  : never = true;

/** Compile-time exhaustiveness: a switch that forgot a case fails to type-check here. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}

/** Checks that a message from the other side is a request we know, with a numeric id. */
export function isRequest(x: unknown): x is Request {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { type?: unknown; id?: unknown };
  return typeof r.id === 'number' && typeof r.type === 'string' && (REQUEST_TYPES as readonly string[]).includes(r.type);
}
