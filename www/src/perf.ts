// Main-thread responsiveness, measured while the page runs: the longest task the browser
// reports (Long Tasks API, tasks of 50 ms or more) and the longest piece of our own work
// (handling an engine message or redrawing). The end-to-end test reads `window.__mfnasPerf`.
export interface PerfFigures {
  /** Longest long task seen since the last reset (0 if none reached 50 ms). */
  longestTaskMs: number;
  longTasks: number;
  /** Longest single handler or redraw of ours. */
  longestWorkMs: number;
  worst: string;
}

/** Every timing, when `?perflog` debugging asks for it. */
let log: [string, number][] | null = null;

const figures: PerfFigures = { longestTaskMs: 0, longTasks: 0, longestWorkMs: 0, worst: '' };

export function startPerf() {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        figures.longTasks++;
        figures.longestTaskMs = Math.max(figures.longestTaskMs, e.duration);
      }
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    // Long Tasks API not available (non-Chromium browsers): our own timings still work.
  }
  (globalThis as unknown as { __mfnasPerf: unknown }).__mfnasPerf = {
    figures,
    log: () => log,
    keepLog() {
      log = [];
    },
    reset() {
      figures.longestTaskMs = 0;
      figures.longTasks = 0;
      figures.longestWorkMs = 0;
      figures.worst = '';
    },
  };
}

/** Runs `f`, recording how long it kept the main thread. */
export function timed<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  try {
    return f();
  } finally {
    const dt = performance.now() - t0;
    log?.push([what, Math.round(dt * 10) / 10]);
    if (dt > figures.longestWorkMs) {
      figures.longestWorkMs = dt;
      figures.worst = what;
    }
  }
}

/**
 * Resolves in a later task, so that the browser can paint and handle input in between: for
 * work drawn in several parts (each part a short task rather than all of them one long one).
 */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
