// What a view gets from the page shell, and what it gives back. A view is a module that exports
// `mount(el, shell)`; the shell lists it in `registry.ts`, makes its tab and tab panel, loads
// the module the first time the view is opened, and tells it what changes.
import type { AlgoParams, ArchInfo, Event, PaperResult, RunInfo, StepBatch, TableInfo } from '../types';
import type { EngineClient } from '../worker/client';
import type { UiState } from '../state';
import type { Trajectory } from '../models/trajectory';
import type { Bracket } from '../models/bracket';

/** The run being played, as the shell folds it from the engine's events. */
export interface RunModel {
  info: RunInfo | null;
  trajectory: Trajectory;
  bracket: Bracket;
  outcome: StepBatch['outcome'];
  /** What the engine reported spent so far. */
  spent: StepBatch['spent'] | null;
  playing: boolean;
}

export interface ShellEvents {
  /** A table was loaded (and the run of the current settings started). */
  table: (info: TableInfo) => void;
  /** The URL state changed; `changed` names the keys (view-owned keys as `extra.<key>`). */
  state: (state: Readonly<UiState>, changed: ReadonlySet<string>) => void;
  /** A new run started (the run model is empty again). */
  runStarted: (info: RunInfo) => void;
  /** Events of the run arrived and were folded into the run model. */
  batch: (events: readonly Event[]) => void;
  /** Time to redraw what follows the run (at most every few hundred ms while it plays). */
  redraw: () => void;
  /** An architecture was picked somewhere (trajectory point, bracket entry, graph node, table row). */
  arch: (info: ArchInfo) => void;
  /** Presentation mode was switched on or off. */
  present: (on: boolean) => void;
}

export type ShellEvent = keyof ShellEvents;

export interface Shell {
  /** Requests to the engine worker. */
  readonly client: EngineClient;
  /** The URL state. */
  readonly state: Readonly<UiState>;
  /** Changes the URL state (and whatever depends on it: table, run, views). */
  set(patch: Partial<UiState>): void;
  /** A URL parameter this view declared in its registry entry (`params`), as text; null if absent. */
  param(key: string): string | null;
  /** Sets (or with null, removes) a declared URL parameter. */
  setParam(key: string, value: string | null): void;
  /** The loaded table, or null while none is. */
  readonly table: TableInfo | null;
  readonly run: RunModel;
  /** Shows an architecture in every cell view and records it in the URL. */
  pickArch(key: number): void;
  /** A message on the page; `key` replaces an earlier message with the same key. */
  message(kind: 'error' | 'warning', text: string, key?: string): void;
  /** Listens to the shell; returns the function that stops listening. */
  on<E extends ShellEvent>(event: E, listener: ShellEvents[E]): () => void;
  /** The run's events kept so far (the first `EVENTS_KEPT`) and how many there were in all. */
  runEvents(): { events: readonly Event[]; seen: number };
  /** The engine parameters of the current settings for `algo` (default: the chosen algorithm). */
  runParams(algo?: UiState['algo']): AlgoParams;
  /** The paper's published results, as the engine knows them. */
  paperNumbers(): Promise<PaperResult[]>;
  /** Downloads the run's events as JSON or CSV. */
  exportRunEvents(format: 'json' | 'csv', stem: string): void;
}

export interface View {
  /** The view's tab was selected (also right after mounting): draw, size charts, start work. */
  show(): void;
  /** Another view was selected: stop work that only this view needs. */
  hide?(): void;
  /** Exports what the view shows (results as JSON/CSV, the figure as SVG/PNG). */
  export?(format: 'json' | 'csv' | 'svg' | 'png', stem: string): void;
  /** The view's main figure: presentation mode scrolls to it. */
  figure?: HTMLElement;
}

export interface ViewModule {
  mount(el: HTMLElement, shell: Shell): View;
}

export interface ViewSpec {
  /** The value of `?view=`. */
  id: string;
  /** The tab's label. */
  label: string;
  /** URL parameters the view owns (beside the shell's). */
  params?: readonly string[];
  /** Whether the view follows the run: the shell then shows the play bar above it. */
  usesRun?: boolean;
  /** Loads the view's module (a dynamic import, so it is its own chunk). */
  load: () => Promise<ViewModule>;
}
