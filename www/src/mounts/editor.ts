// The Cell editor view: one NB201 cell, edited edge by edge, with its numbers, its 24
// neighbours, the climb to its local optimum and that optimum's basin under the chosen
// metric (views/editor.ts). The cell is the URL's `cell=` (an index or an arch string); it
// opens from any cell panel ("Edit this cell") and can be sent to the run as the start of a
// local search (`start=`).
import type { Shell, View } from '../shell/types';
import type { Algo } from '../types';
import { CellEditor } from '../views/editor';
import { fill } from '../views/controls';
import { label } from '../models/glossary';
import { startsFromCell } from '../state';
import { labButtons, labCell } from '../lab/mount';

/**
 * The cell shown when nothing names one: NAS-Bench-201's ResNet-like cell (two 3×3
 * convolutions in a row beside a skip connection), the usual first example.
 */
export const DEFAULT_CELL = '|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|';

export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <div class="toolbar"><label class="inline" data-term="proxy">Metric <select name="metric"></select></label><span class="muted">the score that ranks the neighbours and decides the climb</span></div>
    <div id="cell-editor"></div>`;
  const metricSel = el.querySelector<HTMLSelectElement>('select[name=metric]')!;
  const editor = new CellEditor(
    el.querySelector<HTMLElement>('#cell-editor')!,
    {
      arch: (id) => shell.client.request({ type: 'arch', arch: id }),
      parseArch: (text) => shell.client.request({ type: 'parseArch', text }),
      cellLandscape: (id, metric) => shell.client.request({ type: 'cellLandscape', arch: id, metric }),
    },
    { words: shell.state.words, metric: shell.state.metric },
  );
  /** The `cell=` text last shown (the URL's, or the id an edit wrote there). */
  let shown: string | null = null;
  editor.onCell = (id) => {
    shown = String(id);
    if (shell.param('cell') !== shown) shell.setParam('cell', shown);
  };
  editor.onError = (text) => shell.message('error', text, 'editor');
  // "Real proxies" and "Train this cell" follow the edited cell (the lab loads only when pressed).
  editor.onShown = (a) => {
    if (shell.table?.space === 'nb201') labButtons(editor.extras, labCell(a, shell.table.title));
  };
  editor.onStart = (id) => {
    const s = shell.state;
    // A local search starts from the cell; another algorithm is switched to LS.
    const algo: Algo = startsFromCell(s.algo, s.stage1) ? s.algo : 'ls';
    shell.set({ algo, start: id, view: 'run' });
    shell.message('warning', `The run now starts its local search at cell #${id}${algo === s.algo ? '' : ' (switched to local search, LS: the chosen algorithm has no start cell)'}. Clear the start in the Run view to start anywhere again.`, 'start');
  };
  // The Landscape view marks the URL's `arch` on its map when it is shown.
  editor.onMap = (id) => shell.set({ view: 'landscape', arch: id });

  /** The id of the cell `text` names (an index or an arch string), if the loaded table has it. */
  const resolve = async (text: string): Promise<number> => {
    const id = await shell.client.request({ type: 'parseArch', text });
    await shell.client.request({ type: 'arch', arch: id });
    return id;
  };
  /** A cell the table surely has: the first with a value of the metric (a partial table lacks most cells). */
  const someCell = async (): Promise<number | null> => {
    const map = await shell.client.request({ type: 'spaceMap', metric: shell.state.metric }).catch(() => null);
    const i = map ? map.values.findIndex((v) => v !== null && v !== undefined) : -1;
    return i < 0 ? null : map!.ids[i];
  };
  /**
   * Shows the URL's cell, or else the picked one, the run's answer or the ResNet-like cell; a
   * bad `cell=` (or one the table lacks) is reported and replaced by a cell the table has.
   */
  const showUrlCell = async () => {
    if (!shell.table) return;
    const asked = shell.param('cell');
    const picked = shell.state.arch ?? shell.run.outcome?.arch ?? null;
    const text = asked ?? (picked !== null ? String(picked) : DEFAULT_CELL);
    if (text === shown && editor.id !== null) return;
    shown = text;
    try {
      await editor.show(await resolve(text));
    } catch (e) {
      const id = await resolve(DEFAULT_CELL).catch(someCell);
      if (id === null) return shell.message('error', `The cell editor has no cell to show: ${(e as Error).message}`, 'cell');
      shell.message('warning', asked !== null ? `cell=${asked}: ${(e as Error).message}; showing cell #${id} instead.` : `${shell.table.title} does not have cell ${text}; the editor shows its cell #${id}.`, 'cell');
      shown = String(id);
      if (asked !== null) shell.setParam('cell', shown);
      await editor.show(id);
    }
  };
  const setTable = () => {
    shown = null;
    void shell.client.request({ type: 'landscapeMetrics' }).then(
      (metrics) => {
        fill(metricSel, metrics.map((m) => [m, label(m, shell.state.words)] as [string, string]));
        metricSel.value = shell.state.metric;
        void showUrlCell();
      },
      () => void showUrlCell(),
    );
  };
  metricSel.onchange = () => shell.set({ metric: metricSel.value });
  shell.on('table', setTable);
  shell.on('state', (s, changed) => {
    if (changed.has('metric')) {
      metricSel.value = s.metric;
      editor.configure({ metric: s.metric });
    }
    if (changed.has('words')) {
      for (const o of metricSel.options) o.textContent = label(o.value, s.words);
      editor.configure({ words: s.words });
    }
    if (changed.has('extra.cell') && shell.param('cell') !== null && shell.param('cell') !== String(editor.id)) void showUrlCell();
  });
  if (shell.table) setTable();
  return {
    figure: editor.figure,
    show() {
      void showUrlCell();
    },
  };
}
