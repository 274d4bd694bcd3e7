// Presentation mode, as a flag that figures read when they draw (large type and marks) and a
// signal they can follow. Tiny on purpose: the first view imports it.
let on = false;
const listeners = new Set<(on: boolean) => void>();

/** How much presentation mode enlarges text, symbols and lines in figures. */
export const PRESENT_SCALE = 1.45;

export function presenting(): boolean {
  return on;
}

/** The factor figures multiply their sizes by: PRESENT_SCALE when presenting, else 1. */
export function scale(): number {
  return on ? PRESENT_SCALE : 1;
}

export function setPresenting(value: boolean) {
  if (value === on) return;
  on = value;
  for (const l of listeners) l(on);
}

export function onPresenting(listener: (on: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
