// The engine's types, generated from the Rust types by tsify into pkg/mfnas.d.ts at every
// wasm build (never kept by hand).
export type {
  Algo,
  AlgoParams,
  ArchInfo,
  CellEdge,
  CoverageWarning,
  PaperPage,
  PaperReport,
  ReportProgress,
  ReportRequest,
  Section,
  ExperimentEntry,
  Funnel,
  FunnelNode,
  Neighbour,
  SpaceMap,
  Verdict,
  WholeRun,
  ExperimentProgress,
  Event,
  Fidelity,
  LandscapeSummary,
  LonExport,
  Outcome,
  PaperResult,
  Role,
  RunInfo,
  Spent,
  StepBatch,
  Summary,
  TableInfo,
} from '../../pkg/mfnas';

/** One event of a given `type`. */
export type EventOf<T extends import('../../pkg/mfnas').Event['type']> = Extract<
  import('../../pkg/mfnas').Event,
  { type: T }
>;
