// The Landscape view, for students first: the map of all 15,625 cells for two metrics side by
// side (linked, local optima marked, the run's path and a second run's on top), the proxy
// against test accuracy with each one's best 1 %, and the local optima network as a funnel
// picture; the cell of whatever is picked. The whole network (LON / MLON / CMLON, sigma.js,
// loaded only when opened) stays below for research, with its optima as a data table that the
// keyboard and screen readers can use instead of the WebGL canvas.
import type { Shell, View } from '../shell/types';
import type { Event, LonExport, SpaceMap } from '../types';
import type { LandscapeView } from '../views/landscape';
import { CellView, openEditor } from '../views/cell';
import { fill } from '../views/controls';
import { SpaceMapFigure, type MapRun } from '../views/spacemap';
import { ScatterFigure } from '../views/scatter';
import { FunnelFigure } from '../views/funnel';
import { Link } from '../views/link';
import { compareChanged, compareControl, secondRun } from '../views/compare';
import { emptyPath, foldPath, type RunPath } from '../models/path';
import { label } from '../models/glossary';
import { LON_KINDS, type LonKind } from '../config';
import { nextTask, timed } from '../perf';
import { archButton } from './tables';

const KIND_LABELS: Record<LonKind, string> = { lon: 'LON', mlon: 'monotonic LON', cmlon: 'compressed MLON' };
/** Rows of the optima table (best first); the JSON/CSV export has them all. */
const TABLE_ROWS = 200;

export function mount(el: HTMLElement, shell: Shell): View {
  el.innerHTML = `
    <div class="toolbar">
      <label class="inline" data-term="proxy">Metric <select name="metric"></select></label>
      <label class="inline" data-term="map">beside <select name="metric2"></select></label>
      <span class="land-compare"></span>
    </div>
    <section class="panel figure" id="map-figure" aria-labelledby="map-title"><h2 id="map-title">Every cell of the search space</h2><div id="space-map"></div></section>
    <section class="panel" aria-labelledby="scatter-title"><h2 id="scatter-title">Where the proxy misleads</h2><div id="scatter"></div></section>
    <div class="row">
      <section class="panel grow" aria-labelledby="funnel-title"><h2 id="funnel-title">Local optima as funnels</h2><div id="funnel"></div></section>
      <section class="panel cell-panel" aria-labelledby="lon-cell-title"><h2 id="lon-cell-title">Cell</h2><div id="lon-cell" class="chart cell" role="img" aria-label="The cell of the picked architecture; its operations are listed below"></div><div id="lon-cell-info"></div></section>
    </div>
    <details class="panel" id="network-details">
      <summary>The whole local optima network (research view)</summary>
      <div class="toolbar"><label class="inline" data-term="lon">Network <select name="kind"></select></label><span id="lon-summary" class="muted" aria-live="polite"></span></div>
      <div id="lon" class="chart tall" role="img" aria-label="Local optima network; the table below lists its optima"></div>
      <p class="legend">Node size: in-degree · colour: fitness (dark = worse, yellow = better) · ★ ringed: global optimum · blue path: optima the current run visited. Click a node, or use the table, for its cell.</p>
      <details class="data-table" id="lon-data"><summary>Optima as a table</summary><div class="table-scroll" tabindex="0" role="region" aria-label="Local optima"></div></details>
    </details>`;
  const q = <T extends HTMLElement>(sel: string) => el.querySelector<T>(sel)!;
  const metricSel = q<HTMLSelectElement>('select[name=metric]');
  const metric2Sel = q<HTMLSelectElement>('select[name=metric2]');
  const kindSel = q<HTMLSelectElement>('select[name=kind]');
  fill(kindSel, LON_KINDS.map((k) => [k, KIND_LABELS[k]]));
  kindSel.value = shell.state.kind;
  q('.land-compare').append(compareControl(shell));
  const cell = new CellView(q('#lon-cell'), q('#lon-cell-info'));
  cell.onEdit = (id) => openEditor(shell, id);
  cell.clear('Point at a cell of the map, a dot of the scatter or a node of the funnel; click to see its cell here.');
  const link = new Link();
  const words = () => shell.state.words;
  const map = new SpaceMapFigure(q('#space-map'), link, { neighbours: (key) => shell.client.request({ type: 'neighbours', arch: key }) }, { words: words(), optima: true });
  const scatter = new ScatterFigure(q('#scatter'), link, { words: words(), x: 'value' });
  const funnel = new FunnelFigure(q('#funnel'), link, { words: words(), showUnscored: false });
  link.on((_h, picked) => picked !== null && shell.pickArch(picked));

  let visible = false;
  let metrics: string[] = [];
  const maps = new Map<string, Promise<SpaceMap>>();
  const getMap = (m: string) => {
    let p = maps.get(m);
    if (!p) {
      p = shell.client.request({ type: 'spaceMap', metric: m });
      p.catch(() => maps.delete(m));
      maps.set(m, p);
    }
    return p;
  };
  const testMetric = () => metrics.find((m) => m.startsWith('test_acc')) ?? null;
  /** Beside a proxy, the final validation accuracy; beside anything else, the run's proxy. */
  const metric2 = () => {
    const asked = shell.param('metric2');
    if (asked && metrics.includes(asked)) return asked;
    if (!shell.state.metric.startsWith('zc:') && metrics.includes(`zc:${shell.state.zc}`)) return `zc:${shell.state.zc}`;
    const val = metrics.filter((m) => m.startsWith('val_acc@'));
    return val.includes('val_acc@200') ? 'val_acc@200' : (val[val.length - 1] ?? testMetric() ?? metrics[0]);
  };

  // The run's path (folded from its events) and the second run's.
  let path: RunPath = emptyPath();
  let second: MapRun | null = null;
  const drawRuns = () => map.setRuns([{ name: 'this run', path, style: 'a' as const }, ...(second ? [second] : [])]);

  let ticket = 0;
  const draw = async () => {
    if (!visible || !metrics.length) return;
    const t = ++ticket;
    const [m1, m2, test] = [shell.state.metric, metric2(), testMetric()];
    metricSel.value = m1;
    metric2Sel.value = m2;
    try {
      // Each figure is drawn in a task of its own, after the task that unpacked its data
      // from the worker's message (a figure drawn as soon as its data arrived ran inside
      // that task: together they were one task of 30-40 ms, twice that on a busy machine).
      const inTaskOfItsOwn = async <T>(data: Promise<T>) => {
        const got = await data;
        await nextTask();
        return got;
      };
      const [a, b] = await inTaskOfItsOwn(Promise.all([getMap(m1), getMap(m2)]));
      if (t !== ticket) return;
      timed('space map', () => map.setMaps(m1 === m2 ? [a] : [a, b]));
      drawRuns();
      if (test) {
        const tm = await inTaskOfItsOwn(getMap(test));
        if (t !== ticket) return;
        timed('scatter', () => scatter.setData(a, tm));
      }
      const f = await inTaskOfItsOwn(shell.client.request({ type: 'funnel', metric: m1 }));
      if (t !== ticket) return;
      timed('funnel', () => funnel.setData(f));
    } catch (e) {
      if (t === ticket) shell.message('error', `Cannot draw the landscape of ${m1}: ${(e as Error).message}`, 'landscape');
    }
  };
  const overlay = () =>
    secondRun(shell).then(
      (r) => {
        second = r && { name: r.name, path: r.path, style: 'b' };
        drawRuns();
      },
      (e: Error) => shell.message('error', `Cannot play the run to compare with: ${e.message}`, 'compare'),
    );

  // The research network, loaded with sigma only when its panel is opened.
  let network: LandscapeView | null = null;
  let lonData: LonExport | null = null;
  const data = q<HTMLDetailsElement>('#lon-data');
  const details = q<HTMLDetailsElement>('#network-details');
  const drawTable = () => {
    if (!data.open || !lonData) return;
    timed('optima table', () => (data.querySelector('.table-scroll')!.innerHTML = optimaTable(lonData!)));
  };
  // One view, however many times the panel is toggled while sigma is still loading.
  let loading: Promise<LandscapeView> | null = null;
  const openNetwork = async () => {
    // Opened before the table has loaded: `setTable` draws it once the table is there.
    if (!details.open || !shell.table) return;
    loading ??= import('../views/landscape').then(({ LandscapeView }) => {
      const view = new LandscapeView(shell.client, {
        graph: q('#lon'),
        summary: q('#lon-summary'),
        cell,
        onError: (text) => shell.message('error', text, 'landscape'),
        onNetwork: (d) => {
          lonData = d;
          drawTable();
        },
      });
      view.setTable(shell.table!, () => {});
      view.visit(shell.runEvents().events);
      network = view;
      return view;
    });
    const view = await loading;
    void view.show(shell.state.metric, shell.state.kind);
    view.redrawPath();
  };
  details.addEventListener('toggle', () => void openNetwork());
  data.addEventListener('toggle', drawTable);
  data.addEventListener('click', (ev) => {
    const b = (ev.target as HTMLElement).closest<HTMLElement>('[data-arch]');
    if (b) shell.pickArch(Number(b.dataset.arch));
  });

  const setTable = () => {
    if (!shell.table) return;
    const info = shell.table;
    maps.clear();
    network?.setTable(info, () => {});
    if (details.open) void openNetwork();
    void shell.client
      .request({ type: 'landscapeMetrics' })
      .then((m) => {
        metrics = m;
        const options = m.map((x) => [x, label(x, words())] as [string, string]);
        fill(metricSel, options);
        fill(metric2Sel, options);
        if (!m.includes(shell.state.metric) && m.length) {
          const fallback = m.includes('zc:synflow') ? 'zc:synflow' : m[0];
          shell.message('warning', `metric=${shell.state.metric} is not a metric of ${info.title}; showing ${fallback}.`, 'metric');
          shell.set({ metric: fallback });
        }
        void draw();
        void overlay();
      })
      .catch((e: Error) => shell.message('error', `No landscape for ${info.title}: ${e.message}`, 'landscape'));
  };
  metricSel.onchange = () => shell.set({ metric: metricSel.value });
  metric2Sel.onchange = () => shell.setParam('metric2', metric2Sel.value);
  kindSel.onchange = () => shell.set({ kind: kindSel.value as LonKind });
  shell.on('table', setTable);
  shell.on('state', (s, changed) => {
    kindSel.value = s.kind;
    if (changed.has('words')) {
      map.configure({ words: s.words });
      scatter.configure({ words: s.words });
      funnel.configure({ words: s.words });
      for (const sel of [metricSel, metric2Sel]) for (const o of sel.options) o.textContent = label(o.value, s.words);
    }
    if (changed.has('metric') || changed.has('extra.metric2')) void draw();
    if (details.open && (changed.has('metric') || changed.has('kind'))) void openNetwork();
    if (compareChanged(changed)) void overlay();
  });
  shell.on('runStarted', () => {
    path = emptyPath();
    network?.resetPath();
    drawRuns();
  });
  shell.on('batch', (events: readonly Event[]) => {
    foldPath(path, events);
    network?.visit(events);
  });
  shell.on('redraw', () => {
    if (!visible) return;
    timed('redraw map path', drawRuns);
    if (details.open) timed('redraw landscape path', () => network?.redrawPath());
  });
  shell.on('arch', (a) => {
    if (!visible) return;
    cell.render(a);
    // A cell picked elsewhere (the editor's "Show on the map") is marked on the map too.
    if (link.picked !== a.id) link.pick(a.id);
  });
  foldPath(path, shell.runEvents().events);
  setTable();
  void overlay();
  return {
    figure: q('#map-figure'),
    show() {
      visible = true;
      if (shell.state.arch !== null && link.picked !== shell.state.arch) link.pick(shell.state.arch);
      void draw();
      if (details.open) void openNetwork();
    },
    hide() {
      visible = false;
    },
    export(format, stem) {
      if (network && details.open) return network.export(format, stem);
      shell.message('warning', 'Open “The whole local optima network” to export it (JSON/CSV for graph tools, PNG for the picture).', 'export');
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
