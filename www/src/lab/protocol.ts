// The typed protocol between the page and a lab worker (the second wasm module, see
// lab/src/lib.rs). Every request carries a `type` tag and an id; the worker answers each with
// exactly one `reply` or `error` of that id, and pushes `scored` / `progress` messages in
// between. One worker scores cells; every training gets its own worker (two cells race on two
// cores, and stopping a training ends its worker at once).

/** What the lab image file holds and the module's defaults (`Lab.info()`). */
export interface LabInfo {
  source: string;
  classes: string[];
  train: { n: number; side: number };
  val: { n: number; side: number };
  proxy: { n: number; side: number };
  page_proxies: string[];
  default_batch: number;
  default_settings: TrainSettings;
}

/** The reduced network and recipe (`LabTrainSettings` in Rust). */
export interface TrainSettings {
  channels: number;
  cells: number;
  batch_size: number;
  epochs: number;
  lr: number;
  seed: number;
}

export interface LabArch {
  index: number;
  arch_string: string;
  genotype: string;
}

/** One computed proxy. */
export interface ProxyScore {
  name: string;
  score: number;
  /** Wall seconds, building the network included. */
  seconds: number;
}

export interface ScoreResult {
  arch: LabArch;
  seed: number;
  batch: number;
  scores: ProxyScore[];
  /** Wall milliseconds of all the proxies together, as the worker measured them. */
  ms: number;
}

export interface TrainingInfo {
  arch: LabArch;
  settings: TrainSettings;
  batches_per_epoch: number;
  train_images: number;
  val_images: number;
  side: number;
  command: string;
}

export interface EpochTraining {
  loss: number;
  acc: number;
  seconds: number;
  images: number;
}

export interface StepReport {
  kind: 'step';
  epoch: number;
  batch: number;
  batches: number;
  step: number;
  loss: number;
  correct: number;
  images: number;
  lr: number;
  seconds: number;
  epoch_end: EpochTraining | null;
}

export interface EpochPoint {
  kind: 'validated';
  epoch: number;
  val_loss: number;
  val_acc: number;
  training: EpochTraining | null;
}

/** One bounded piece of training work (`Progress` in Rust). */
export type Progress =
  | StepReport
  | { kind: 'validating'; epoch: number; done: number; total: number }
  | EpochPoint
  | { kind: 'finished' };

export type LabRequest =
  | { type: 'init'; id: number; imagesUrl: string }
  | { type: 'score'; id: number; arch: string; proxies: string[]; seed: number; batch: number }
  | { type: 'startTraining'; id: number; arch: string; settings: Partial<TrainSettings> }
  | { type: 'play'; id: number }
  | { type: 'pause'; id: number };

export type LabRequestType = LabRequest['type'];

export interface LabResults {
  init: LabInfo;
  score: ScoreResult;
  startTraining: TrainingInfo;
  play: { playing: true };
  /** Answered once the step in progress has finished: nothing trains after it. */
  pause: { playing: false; steps: number };
}

export type LabRequestBody<K extends LabRequestType> = Omit<Extract<LabRequest, { type: K }>, 'id'>;

export type LabResponse =
  | { [K in LabRequestType]: { type: 'reply'; id: number; request: K; result: LabResults[K] } }[LabRequestType]
  | { type: 'error'; id: number; message: string; kind: string }
  /** One proxy of a `score` request is done. */
  | { type: 'scored'; id: number; score: ProxyScore }
  /** Training work done since the last message; `imagesPerSecond` over the last steps. */
  | { type: 'progress'; items: Progress[]; imagesPerSecond: number; playing: boolean }
  /** The module failed (a panic, or it could not start); the worker must be replaced. */
  | { type: 'crashed'; message: string };

export const LAB_REQUEST_TYPES = ['init', 'score', 'startTraining', 'play', 'pause'] as const satisfies readonly LabRequestType[];

/** Fails to type-check if a request type is missing from `LAB_REQUEST_TYPES`. */
export const LAB_REQUEST_TYPES_ARE_COMPLETE: [Exclude<LabRequestType, (typeof LAB_REQUEST_TYPES)[number]>] extends [never]
  ? true
  : never = true;

export function isLabRequest(x: unknown): x is LabRequest {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as { type?: unknown; id?: unknown };
  return typeof r.id === 'number' && typeof r.type === 'string' && (LAB_REQUEST_TYPES as readonly string[]).includes(r.type);
}
