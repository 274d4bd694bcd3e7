import { describe, expect, it } from 'vitest';
import { OWNS_KEYS, shortcutFor, tabMove } from './keys';

/** A stand-in for a focused element: `closest` answers whether it matches one of `matches`. */
function target(...matches: string[]) {
  return { closest: (sel: string) => (matches.some((m) => sel.split(',').map((s) => s.trim()).includes(m)) ? {} : null) } as unknown as EventTarget;
}
const press = (key: string, t: EventTarget | null, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: t,
  ...mods,
});

describe('keyboard shortcuts', () => {
  it('on the page itself, Space plays, → steps, r resets and p presents', () => {
    const body = target();
    expect([' ', 'ArrowRight', 'r', 'p'].map((k) => shortcutFor(press(k, body), false))).toEqual(['play', 'step', 'reset', 'present']);
  });

  it('a focused button, tab, field or focusable table keeps its own keys', () => {
    for (const owner of ['button', '[role=tab]', 'input', 'select', '[tabindex]', 'summary']) {
      expect(OWNS_KEYS.split(',').map((s) => s.trim())).toContain(owner);
      for (const key of [' ', 'ArrowRight', 'r', 'p']) expect(shortcutFor(press(key, target(owner)), false)).toBeNull();
    }
  });

  it('Escape leaves presentation mode from a button but not from a field', () => {
    expect(shortcutFor(press('Escape', target('button')), true)).toBe('exitPresent');
    expect(shortcutFor(press('Escape', target('input')), true)).toBeNull();
    expect(shortcutFor(press('Escape', target()), false)).toBeNull();
  });

  it('a key with Ctrl, Alt or Meta is the browser\'s', () => {
    expect(shortcutFor(press('r', target(), { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(press('p', target(), { metaKey: true }), false)).toBeNull();
  });
});

describe('tab list keys', () => {
  it('arrows wrap around, Home and End jump, other keys are not the tab list\'s', () => {
    expect(tabMove('ArrowRight', 2, 3)).toBe(0);
    expect(tabMove('ArrowLeft', 0, 3)).toBe(2);
    expect(tabMove('Home', 2, 3)).toBe(0);
    expect(tabMove('End', 0, 3)).toBe(2);
    expect(tabMove('a', 0, 3)).toBeNull();
  });
});
