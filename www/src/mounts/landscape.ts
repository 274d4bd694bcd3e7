// The Landscape view: the local optima network of a metric (sigma.js, loaded with this module
// only), the run's path over it, the cell of a clicked node, and the optima as a data table
// that the keyboard and screen readers can use instead of the WebGL canvas.
import type { Shell, View } from '../shell/types';
import type { LonExport } from '../types';
import { LandscapeView } from '../views/landscape';
import { CellView } from '../views/cell';
import { fill } from '../views/controls';
import { LON_KINDS, type LonKind } from '../config';
import { timed } from '../perf';
import { archButton } from './tables';

const KIND_LABELS: Record<LonKind, string> = { lon: 'LON', mlon: 'monotonic LON', cmlon: 'compressed MLON' };
/** Rows of the optima table (best first); the JSON/CSV export has them all. */
const TABLE_ROWS = 200;

export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <div class="toolbar">
      <label class="inline">Metric <select name="metric"></select></label>
      <label class="inline">Network <select name="kind"></select></label>
      <span id="lon-summary" class="muted" aria-live="polite"></span>
    </div>
    <div class="row">
      <section class="panel grow figure" id="lon-figure" aria-labelledby="lon-title">
        <h2 id="lon-title" class="visually-hidden">Local optima network</h2>
        <div id="lon" class="chart tall" role="img" aria-label="Local optima network; the table below lists its optima"></div>
        <p class="legend">Node size: in-degree · colour: fitness (dark = worse, yellow = better) · ★ ringed: global optimum · blue path: optima the current run visited. Click a node, or use the table, for its cell.</p>
        <details class="data-table" id="lon-data"><summary>Optima as a table</summary><div class="table-scroll" tabindex="0" role="region" aria-label="Local optima"></div></details>
      </section>
      <section class="panel cell-panel" aria-labelledby="lon-cell-title"><h2 id="lon-cell-title">Cell</h2><div id="lon-cell" class="chart cell" role="img" aria-label="The cell of the picked architecture; its operations are listed below"></div><div id="lon-cell-info"></div></section>
    </div>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const metricSel = q<HTMLSelectElement>('select[name=metric]');
  const kindSel = q<HTMLSelectElement>('select[name=kind]');
  fill(kindSel, LON_KINDS.map((k) => [k, KIND_LABELS[k]]));
  kindSel.value = shell.state.kind;
  const cell = new CellView(q('#lon-cell'), q('#lon-cell-info'));
  cell.clear('Click a node, or pick an optimum in the table, to see its cell.');
  const data = q<HTMLDetailsElement>('#lon-data');
  let network: LonExport | null = null;
  const drawTable = () => {
    if (!data.open || !network) return;
    timed('optima table', () => (data.querySelector('.table-scroll')!.innerHTML = optimaTable(network!)));
  };
  const view = new LandscapeView(shell.client, {
    graph: q('#lon'),
    summary: q('#lon-summary'),
    cell,
    onError: (text) => shell.message('error', text, 'landscape'),
    onNetwork: (d) => {
      network = d;
      drawTable();
    },
  });
  data.addEventListener('toggle', drawTable);
  data.addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLElement>('[data-arch]');
    if (b) shell.pickArch(Number(b.dataset.arch));
  });
  let visible = false;
  let metrics: string[] = [];
  const setTable = () => {
    if (!shell.table) return;
    const info = shell.table;
    view.setTable(info, (m) => {
      metrics = m;
      fill(metricSel, m.map((x) => [x, x]));
      if (!m.includes(shell.state.metric) && m.length) {
        const fallback = m.includes('zc:synflow') ? 'zc:synflow' : m[0];
        shell.message('warning', `metric=${shell.state.metric} is not a metric of ${info.title}; showing ${fallback}.`, 'metric');
        shell.set({ metric: fallback });
      }
      metricSel.value = shell.state.metric;
      if (visible) void view.show(shell.state.metric, shell.state.kind);
    });
  };
  metricSel.onchange = () => shell.set({ metric: metricSel.value });
  kindSel.onchange = () => shell.set({ kind: kindSel.value as LonKind });
  shell.on('table', setTable);
  shell.on('state', (s, changed) => {
    metricSel.value = s.metric;
    kindSel.value = s.kind;
    if (visible && metrics.length && (changed.has('metric') || changed.has('kind'))) void view.show(s.metric, s.kind);
  });
  shell.on('runStarted', () => view.resetPath());
  shell.on('batch', (events) => view.visit(events));
  shell.on('redraw', () => visible && timed('redraw landscape path', () => view.redrawPath()));
  shell.on('arch', (a) => visible && cell.render(a));
  view.visit(shell.runEvents().events);
  setTable();
  return {
    figure: q('#lon-figure'),
    show() {
      visible = true;
      if (metrics.length) void view.show(shell.state.metric, shell.state.kind);
      view.redrawPath();
    },
    hide() {
      visible = false;
    },
    export(format, stem) {
      view.export(format, stem);
    },
  };
}

function optimaTable(d: LonExport): string {
  const nodes = [...d.nodes].sort((a, b) => Number(b.global) - Number(a.global) || (b.fitness ?? -Infinity) - (a.fitness ?? -Infinity));
  const shown = nodes.slice(0, TABLE_ROWS);
  const f = (v: number | null | undefined, digits: number) => (v === null || v === undefined ? '—' : v.toFixed(digits));
  return `<table class="results"><caption>${d.nodes.length.toLocaleString('en')} optima of ${d.metric} (${d.kind.toUpperCase()}), best first${shown.length < nodes.length ? `; the first ${TABLE_ROWS} shown (export JSON/CSV for all)` : ''}</caption>
    <thead><tr><th scope="col">architecture</th><th scope="col">fitness</th><th scope="col">test acc (%)</th><th scope="col">basin size</th><th scope="col">in-degree</th><th scope="col">kind</th></tr></thead>
    <tbody>${shown
      .map(
        (n) =>
          `<tr><td>${archButton(n.id)} <code class="arch">${n.arch}</code></td><td class="num">${f(n.fitness, 4)}</td><td class="num">${f(n.test_acc, 2)}</td><td class="num">${n.basin_size}</td><td class="num">${n.in_degree}</td><td>${n.global ? '★ global optimum' : n.sink ? 'sink' : 'local optimum'}</td></tr>`,
      )
      .join('')}</tbody></table>`;
}
