// What a chapter gets from the chapters view, and what it gives back. A chapter module exports
// `mount(ctx)`: it writes its prose (numbers computed from the engine, marked as facts), draws
// its one figure from the figures the explorer already has, and asks one question.
import type { Shell, ShellEvents, ShellEvent } from '../shell/types';
import type { Question, QuestionSpec } from './question';

export interface ChapterContext {
  readonly shell: Shell;
  /** Listens to the shell while the chapter is open (stopped when the reader leaves it). */
  on<E extends ShellEvent>(event: E, listener: ShellEvents[E]): void;
  /** The prose column (empty). */
  readonly prose: HTMLElement;
  /** The figure column (empty). */
  readonly figure: HTMLElement;
  /** Puts the chapter's "predict, then reveal" question into `el` (inside the prose). */
  ask(el: HTMLElement, spec: QuestionSpec): Question;
  /** Whether the reader asked for less motion (then nothing starts playing by itself). */
  readonly reducedMotion: boolean;
}

export interface Chapter {
  /** The chapter is on screen (also right after mounting). */
  show(): void;
  /** Another view was selected, or the chapter is left: stop work only it needs. */
  hide?(): void;
  /** The chapter is left for good: stop timers (listeners of `ctx.on` stop by themselves). */
  destroy?(): void;
  /** The figure presentation mode scrolls to. */
  figure?: HTMLElement;
}

export interface ChapterModule {
  mount(ctx: ChapterContext): Chapter;
}
