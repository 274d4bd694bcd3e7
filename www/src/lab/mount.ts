// The lab's entry on the page: two buttons under a cell ("Real proxies", "Train this cell")
// that open the panel in a dialog. This file is in the page's first bundle and is tiny: the
// panels, their worker and the second wasm module load only when a button is pressed.
import './lab.css';
import type { LabCell } from './cell';
import type { RealProxiesPanel } from './proxies-panel';
import type { TrainingPanel } from './train-panel';

export type { LabCell } from './cell';
export { labCell } from './cell';

type Kind = 'proxies' | 'train';

interface Open {
  dialog: HTMLDialogElement;
  panel: RealProxiesPanel | TrainingPanel;
  kind: Kind;
}

let open: Open | null = null;

let testScorer: Promise<import('./lab-client').ProxyLab> | null = null;

/** The open panel, and the page's own scorer, for the end-to-end test (`window.__mfnasLab`). */
const hook = {
  panel: () => open?.panel ?? null,
  kind: () => open?.kind ?? null,
  /** Scores with a lab worker of its own (loaded on the first call). */
  async score(arch: string, proxies: string[], seed: number, batch: number) {
    testScorer ??= import('./lab-client').then(({ ProxyLab }) => ProxyLab.open());
    return (await testScorer).score(arch, proxies, seed, batch);
  },
};
(globalThis as unknown as { __mfnasLab: typeof hook }).__mfnasLab = hook;

/** Puts the two lab buttons at the end of `host` (replacing earlier ones) for `cell`. */
export function labButtons(host: HTMLElement, cell: LabCell) {
  host.querySelector(':scope > .lab-launch')?.remove();
  const bar = document.createElement('div');
  bar.className = 'lab-launch';
  bar.innerHTML = `<button type="button" data-lab="proxies" title="Compute params, FLOPs, synflow and NASWOT of this cell in your browser">Real proxies</button>
    <button type="button" data-lab="train" title="Train a reduced network of this cell in your browser">Train this cell</button>`;
  for (const b of bar.querySelectorAll<HTMLButtonElement>('button')) b.onclick = () => void openLab(b.dataset.lab as Kind, cell);
  host.append(bar);
}

/** Opens a lab panel for `cell` in a dialog (one at a time; closing it ends its workers). */
export async function openLab(kind: Kind, cell: LabCell, opts: { rival?: string } = {}) {
  close();
  const dialog = document.createElement('dialog');
  dialog.className = 'lab-dialog';
  dialog.setAttribute('aria-label', kind === 'proxies' ? 'Real proxies' : 'Train this cell');
  dialog.innerHTML = `<header><h2>${kind === 'proxies' ? 'Real proxies' : 'Train this cell'}</h2>
    <button type="button" class="lab-close" aria-label="Close">✕</button></header><div class="lab-body"><p class="muted">Loading…</p></div>`;
  document.body.append(dialog);
  dialog.querySelector<HTMLButtonElement>('.lab-close')!.onclick = () => close();
  dialog.addEventListener('close', () => close());
  dialog.showModal();
  const body = dialog.querySelector<HTMLElement>('.lab-body')!;
  try {
    const panel =
      kind === 'proxies'
        ? (await import('./proxies-panel')).mountRealProxies(body, cell, { autostart: true })
        : (await import('./train-panel')).mountTraining(body, cell, opts);
    if (!dialog.isConnected) return panel.destroy();
    open = { dialog, panel, kind };
  } catch (e) {
    body.innerHTML = `<p class="warn">The lab could not load: ${String((e as Error).message)}</p>`;
  }
}

/** Closes the open lab panel, if any. */
export function close() {
  const o = open;
  open = null;
  if (!o) {
    document.querySelectorAll('dialog.lab-dialog').forEach((d) => d.remove());
    return;
  }
  o.panel.destroy();
  if (o.dialog.open) o.dialog.close();
  o.dialog.remove();
}
