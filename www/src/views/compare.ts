// Two runs at once: the second run of a link (`?vs=ALGO&vs_seed=N`, the seed defaulting to the
// first run's), played to its end by the engine with the page's other settings and folded for
// the overlays (trajectory charts, space map); and the small control that sets it.
import type { Algo, Event, RunInfo } from '../types';
import type { Shell } from '../shell/types';
import { ALGOS } from '../config';
import { emptyTrajectory, foldTrajectory, type Trajectory } from '../models/trajectory';
import { emptyPath, foldPath, type RunPath } from '../models/path';
import { el } from './figure';

/** The URL keys of the second run. */
export const COMPARE_PARAMS = ['vs', 'vs_seed'] as const;

export interface SecondRun {
  /** "LS, seed 7". */
  name: string;
  info: RunInfo;
  trajectory: Trajectory;
  path: RunPath;
  testAcc: number | undefined;
}

const cache = new Map<string, Promise<SecondRun>>();

/** The algorithm and seed the link asks to compare with, or null. */
export function comparison(shell: Shell): { algo: Algo; seed: number } | null {
  const algo = shell.param('vs');
  if (!algo || !(algo in ALGOS)) return null;
  const s = shell.param('vs_seed');
  const seed = s !== null && /^\d+$/.test(s) ? Number(s) : shell.state.seed;
  return { algo: algo as Algo, seed };
}

/** The second run (played once per table, settings and seed, then kept), or null when none is asked for. */
export function secondRun(shell: Shell): Promise<SecondRun | null> {
  const c = comparison(shell);
  if (!c || !shell.table) return Promise.resolve(null);
  const params = shell.runParams(c.algo);
  const key = JSON.stringify([shell.table.title, params, c.seed]);
  let p = cache.get(key);
  if (!p) {
    p = shell.client.request({ type: 'wholeRun', params, seed: c.seed }).then((r) => {
      const events = r.events as Event[];
      return {
        name: `${ALGOS[c.algo]}, seed ${c.seed}`,
        info: r.info,
        trajectory: foldTrajectory(emptyTrajectory(), events),
        path: foldPath(emptyPath(), events),
        testAcc: r.outcome.test_acc,
      };
    });
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

/**
 * Draws the link's second run (or none) over `trajectory`, then `redraw`s; a second run that
 * cannot be played is said in the page's messages.
 */
export function overlaySecondRun(shell: Shell, trajectory: { setOverlay(o: { name: string; trajectory: Trajectory } | null): void }, redraw: () => void): Promise<void> {
  return secondRun(shell).then(
    (r) => {
      trajectory.setOverlay(r && { name: r.name, trajectory: r.trajectory });
      redraw();
    },
    (e: Error) => shell.message('error', `Cannot play the run to compare with: ${e.message}`, 'compare'),
  );
}

/** "Compare with [algorithm] seed [n]": sets the link's second run. */
export function compareControl(shell: Shell): HTMLElement {
  const box = el('div', { class: 'compare', role: 'group', 'aria-label': 'Compare with a second run' });
  const label = el('label', { class: 'inline', 'data-term': 'run b' });
  const algo = el('select', { name: 'vs' });
  algo.append(el('option', { value: '' }, 'nothing'));
  for (const [a, name] of Object.entries(ALGOS)) algo.append(el('option', { value: a }, name));
  label.append(document.createTextNode('Compare with '), algo);
  const seedLabel = el('label', { class: 'inline', 'data-term': 'seed' });
  const seed = el('input', { name: 'vs_seed', inputmode: 'numeric', size: '6', placeholder: 'same' });
  seedLabel.append(document.createTextNode('seed '), seed);
  const status = el('span', { class: 'muted compare-status', 'aria-live': 'polite' });
  box.append(label, seedLabel, status);
  const show = () => {
    algo.value = shell.param('vs') ?? '';
    seed.value = shell.param('vs_seed') ?? '';
    seedLabel.hidden = !algo.value;
  };
  algo.onchange = () => {
    shell.setParam('vs', algo.value || null);
    if (!algo.value) shell.setParam('vs_seed', null);
  };
  seed.onchange = () => {
    const v = seed.value.trim();
    if (v === '' || /^\d+$/.test(v)) {
      shell.setParam('vs_seed', v || null);
      status.textContent = '';
    } else status.textContent = 'The seed is a whole number (empty: the same seed as the run).';
  };
  shell.on('state', (_s, changed) => (changed.has('extra.vs') || changed.has('extra.vs_seed')) && show());
  show();
  return box;
}

/** Whether a state change asks for another second run. */
export function compareChanged(changed: ReadonlySet<string>): boolean {
  return ['extra.vs', 'extra.vs_seed', 'seed', 'algo', 'zc', 'budget', 'ladder', 'keep', 'stage1', 'm', 'k', 'stage2'].some((k) => changed.has(k));
}
