// The engine's types, generated from the Rust types by tsify into pkg/mfnas.d.ts at every
// wasm build (never kept by hand).
export type {
  Algo,
  AlgoParams,
  ArchInfo,
  CandidateStatus,
  CellEdge,
  CellGraph,
  CellGraphEdge,
  CellGraphNode,
  Cost,
  ExperimentEntry,
  ExperimentProgress,
  Event,
  EvolutionSnapshot,
  Fidelity,
  HalvingSnapshot,
  LandscapeSummary,
  LocalSearchSnapshot,
  LonExport,
  MfNasSnapshot,
  Outcome,
  PaperResult,
  ParamRange,
  Phase,
  RandomSnapshot,
  Role,
  RungCandidate,
  RungSnapshot,
  RunInfo,
  Scored,
  Snapshot,
  Spent,
  Stage1Kind,
  StepBatch,
  Summary,
  TableInfo,
} from '../../pkg/mfnas';

/** One event of a given `type`. */
export type EventOf<T extends import('../../pkg/mfnas').Event['type']> = Extract<
  import('../../pkg/mfnas').Event,
  { type: T }
>;
