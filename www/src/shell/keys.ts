// Keyboard shortcuts of the page, and when they stay out of the way: never while the focus is
// on something that has keys of its own (a button, a field, a tab, a data table, a focusable
// chart point), so Space presses a focused button and the arrows move between tabs.

export type Shortcut = 'play' | 'step' | 'reset' | 'present' | 'exitPresent';

/** What the rule needs to know about a key press (a KeyboardEvent has all of it). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}

/** Elements that own their keys: controls, and anything the page made focusable. */
export const OWNS_KEYS =
  'a[href], button, input, select, textarea, summary, audio, video, [contenteditable=""], [contenteditable="true"], [role=tab], [role=button], [role=link], [role=slider], [role=grid], [role=listbox], [role=menu], [tabindex]';

/** The shortcut a key press means, or null when the focused element should have the key. */
export function shortcutFor(ev: KeyPress, presenting: boolean): Shortcut | null {
  if (ev.ctrlKey || ev.altKey || ev.metaKey) return null;
  const t = ev.target as { closest?: (sel: string) => unknown } | null;
  const inside = (sel: string) => !!t && typeof t.closest === 'function' && !!t.closest(sel);
  // Escape has no meaning of its own on a button or tab: it leaves presentation mode from there too.
  if (ev.key === 'Escape') return presenting && !inside('input, select, textarea, [contenteditable]') ? 'exitPresent' : null;
  if (inside(OWNS_KEYS)) return null;
  switch (ev.key) {
    case ' ':
      return 'play';
    case 'ArrowRight':
      return 'step';
    case 'r':
      return 'reset';
    case 'p':
      return 'present';
    default:
      return null;
  }
}

/**
 * Arrow keys on a tab list (the WAI-ARIA tabs pattern): the index of the tab to move to, or
 * null if the key is not one the tab list uses.
 */
export function tabMove(key: string, index: number, count: number): number | null {
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (index + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
