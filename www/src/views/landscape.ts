// Landscape view: the (M)LON of the chosen metric drawn with sigma.js (WebGL, thousands of
// nodes): node size by in-degree, colour by fitness, global optima marked, the current run's
// path overlaid; click a node to see its cell. (The landscape summary charts of the
// experiment view are in ./summaries.ts.)
import Graph from 'graphology';
import type { Attributes } from 'graphology-types';
import Sigma from 'sigma';
import FA2Layout from 'graphology-layout-forceatlas2/worker';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { downloadAsPNG } from '@sigma/export-image';
import type { Event, LonExport, TableInfo } from '../types';
import type { EngineClient } from '../worker/client';
import type { CellView } from './cell';
import { download, toCsv } from '../export';
import { nextTask } from '../perf';
import type { LonKind } from '../config';

export interface LandscapeParts {
  graph: HTMLElement;
  summary: HTMLElement;
  cell: CellView;
  onError: (text: string) => void;
  /** Called with every network drawn (the shell shows its optima as a data table). */
  onNetwork?: (data: LonExport) => void;
}

/** Viridis-like ramp, dark (worse) to yellow (better). */
const RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];
const GLOBAL = '#dc2626';
const PATH = '#2563eb';
/** The most path steps kept (the path of longer runs stops there). */
const VISITED_CAP = 50_000;
/** The most edges drawn (the heaviest; more are a grey blur, and slow without a GPU); the JSON/CSV exports keep them all. */
const MAX_EDGES = 5_000;
/** Edges added to the graph per task. */
const EDGE_SLICE = 1_000;

function ramp(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const c = (h: string, k: number) => parseInt(h.slice(1 + 2 * k, 3 + 2 * k), 16);
  const mix = [0, 1, 2].map((k) => Math.round(c(RAMP[i], k) * (1 - f) + c(RAMP[i + 1], k) * f));
  return `rgb(${mix.join(',')})`;
}

export class LandscapeView {
  private sigma: Sigma | null = null;
  private layout: FA2Layout | null = null;
  private graph: Graph | null = null;
  private data: LonExport | null = null;
  private showing = '';
  private pending = 0;
  /** The run's current solutions in order (consecutive repeats dropped). */
  private visited: number[] = [];
  private pathDrawn = 0;
  private edgesShown = 0;

  constructor(
    private client: EngineClient,
    private parts: LandscapeParts,
  ) {}

  /** A new table: forget its predecessor's networks and list the metrics it can analyse. */
  setTable(info: TableInfo, onMetrics: (metrics: string[]) => void) {
    this.dispose();
    this.showing = '';
    void this.client
      .request({ type: 'landscapeMetrics' })
      .then((m) => {
        onMetrics(m);
      })
      .catch((e: Error) => this.parts.onError(`No landscape for ${info.title}: ${e.message}`));
  }

  /**
   * Forgets the network shown. The sigma renderer itself is kept and given the next graph: with
   * software WebGL (no GPU) killing its canvases and creating new ones blocked the page for
   * 400-650 ms on every change of metric.
   */
  private dispose() {
    this.layout?.kill();
    this.layout = null;
    this.sigma?.setGraph(new Graph({ type: 'directed', multi: true }));
    this.graph = null;
    this.data = null;
  }

  /** Draws the network of `metric` (computed in the worker). */
  async show(metric: string, kind: LonKind) {
    const key = `${metric}|${kind}`;
    if (key === this.showing) return;
    this.showing = key;
    const ticket = ++this.pending;
    this.parts.summary.textContent = `Computing the ${kind.toUpperCase()} of ${metric}…`;
    try {
      const t0 = performance.now();
      const data = await this.client.request({ type: 'landscape', metric, kind, maxEdges: MAX_EDGES });
      if (ticket !== this.pending) return;
      await this.draw(data);
      if (ticket !== this.pending) return;
      const s = data.summary;
      const shown = this.edgesShown < data.edgesTotal ? ` (${this.edgesShown.toLocaleString('en')} drawn, self-loops and the lightest left out)` : '';
      this.parts.summary.textContent = `${data.nodes.length.toLocaleString('en')} nodes, ${data.edgesTotal.toLocaleString('en')} edges${shown} · ${s.n_optima} local optima, ${s.n_global_optima} global · Spearman with test accuracy ${fmt(s.spearman)} · funnel share ${(100 * s.funnel_share).toFixed(0)}% · ${data.n_missing} archs without a value · computed in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
      this.parts.graph.dataset.nodes = String(data.nodes.length);
      this.parts.onNetwork?.(data);
    } catch (e) {
      if (ticket !== this.pending) return;
      this.showing = '';
      this.parts.summary.textContent = '';
      this.parts.onError(`Cannot draw the landscape of ${metric}: ${(e as Error).message}`);
    }
  }

  /** Builds the graph in slices of a few milliseconds (no long task), then hands it to sigma. */
  private async draw(data: LonExport) {
    this.dispose();
    this.data = data;
    const g = new Graph({ type: 'directed', multi: true });
    const fits = data.nodes.map((n) => n.fitness).filter((f): f is number => f !== undefined && f !== null);
    // Colour by fitness rank, so heavy-tailed proxies (synflow) still spread over the ramp.
    const sorted = [...fits].sort((a, b) => a - b);
    const rank = (f: number) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < f) lo = mid + 1;
        else hi = mid;
      }
      return sorted.length > 1 ? lo / (sorted.length - 1) : 1;
    };
    const n = data.nodes.length;
    const maxIn = Math.max(1, ...data.nodes.map((x) => x.in_degree));
    // Big networks get smaller nodes so that they stay readable.
    const [minSize, maxSize] = n > 300 ? [1.5, 9] : n > 60 ? [3, 14] : [5, 20];
    data.nodes.forEach((node) => {
      // Deterministic scattered start (a hash of the key), for the force layout to untangle.
      const h1 = Math.sin(node.id * 12.9898) * 43758.5453;
      const h2 = Math.sin(node.id * 78.233) * 12345.6789;
      g.addNode(String(node.id), {
        x: 100 * (h1 - Math.floor(h1)),
        y: 100 * (h2 - Math.floor(h2)),
        size: minSize + (maxSize - minSize) * Math.sqrt(node.in_degree / maxIn),
        color: node.global ? GLOBAL : node.fitness === undefined || node.fitness === null ? '#9ca3af' : ramp(rank(node.fitness)),
        label: node.global ? `★ global optimum #${node.id} (test ${fmt(node.test_acc)}%)` : `#${node.id}`,
        forceLabel: node.global,
        zIndex: node.global ? 2 : 0,
      });
    });
    await nextTask();
    // Self-loops carry weight, not drawing; very dense networks show their heaviest edges.
    const drawn = data.edges.filter((e) => e.source !== e.target);
    if (drawn.length > MAX_EDGES) drawn.sort((a, b) => b.weight - a.weight || a.source - b.source || a.target - b.target).splice(MAX_EDGES);
    this.edgesShown = drawn.length;
    for (let i = 0; i < drawn.length; i += EDGE_SLICE) {
      await nextTask();
      if (this.data !== data) return;
      for (const e of drawn.slice(i, i + EDGE_SLICE)) {
        g.addDirectedEdge(String(e.source), String(e.target), { size: Math.min(4, 0.3 + Math.log1p(e.weight) / 2), color: '#cbd5e1', weight: e.weight });
      }
    }
    await nextTask();
    if (this.data !== data) return;
    this.graph = g;
    // The layout runs in its own worker from the scattered start (a synchronous warm-up here
    // was a long task on the main thread).
    // While the layout moves the nodes, sigma redraws every frame: without a GPU (software
    // WebGL) thousands of edges make each frame a long task, so edges appear once it settles.
    const hideEdges = (_edge: string, attr: Attributes) => ({ ...attr, hidden: !attr.path });
    let sigma = this.sigma;
    if (sigma) {
      if (n > 1) sigma.setSetting('edgeReducer', hideEdges);
      sigma.setGraph(g);
      sigma.getCamera().setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 });
    } else {
      sigma = new Sigma(g, this.parts.graph, {
        renderEdgeLabels: false,
        labelRenderedSizeThreshold: 14,
        zIndex: true,
        defaultEdgeType: 'line',
        allowInvalidContainer: true,
        edgeReducer: n > 1 ? hideEdges : null,
      });
      sigma.on('clickNode', ({ node }) => void this.pick(Number(node)));
      this.sigma = sigma;
    }
    // For the end-to-end test: where a node is drawn.
    (globalThis as unknown as { __mfnasLandscape: unknown }).__mfnasLandscape = {
      sigma,
      stopLayout: () => {
        this.layout?.kill();
        this.sigma?.setSetting('edgeReducer', null);
      },
      globalNode: () => String(data.nodes.find((x) => x.global)?.id ?? data.nodes[0].id),
    };
    if (n > 1) {
      const layout = new FA2Layout(g, { settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: n > 300, slowDown: 3, gravity: 1 } });
      this.layout = layout;
      layout.start();
      setTimeout(() => {
        layout.kill();
        // Unless a newer network has replaced this one (and hides its own edges while it settles).
        if (this.layout === layout) sigma.setSetting('edgeReducer', null);
      }, Math.min(6000, 1500 + n));
    } else sigma.setSetting('edgeReducer', null);
    this.pathDrawn = 0;
    this.redrawPath();
  }

  private async pick(key: number) {
    try {
      this.parts.cell.render(await this.client.request({ type: 'arch', arch: key }));
    } catch (e) {
      this.parts.onError(`Cannot show architecture ${key}: ${(e as Error).message}`);
    }
  }

  /** Follows the run: the current solution after every move, escape and evaluation. */
  visit(events: readonly Event[]) {
    for (const e of events) {
      let key: number | null = null;
      if (e.type === 'moved' || e.type === 'escaped') key = e.to;
      else if (e.type === 'new_best' || e.type === 'born') key = e.arch;
      // Bounded: a run of any budget keeps at most VISITED_CAP steps of its path.
      if (key !== null && this.visited[this.visited.length - 1] !== key && this.visited.length < VISITED_CAP) this.visited.push(key);
    }
  }

  /** A new run: forget the old path. */
  resetPath() {
    this.visited = [];
    this.redrawPath(true);
  }

  /** Marks the optima the run has visited and links them in visiting order. */
  redrawPath(force = false) {
    const g = this.graph;
    if (!g) return;
    if (force) {
      g.forEachEdge((edge, attr) => {
        if (attr.path) g.dropEdge(edge);
      });
      g.forEachNode((node, attr) => {
        if (attr.visited) g.mergeNodeAttributes(node, { visited: false, color: attr.baseColor ?? attr.color });
      });
      this.pathDrawn = 0;
    }
    let prev: string | null = null;
    const onPath: string[] = [];
    for (const key of this.visited) {
      const id = String(key);
      if (g.hasNode(id) && id !== prev) {
        onPath.push(id);
        prev = id;
      }
    }
    for (let i = this.pathDrawn; i < onPath.length; i++) {
      const id = onPath[i];
      const attr = g.getNodeAttributes(id);
      if (!attr.visited && !this.data?.nodes.find((n) => String(n.id) === id)?.global) {
        g.mergeNodeAttributes(id, { visited: true, baseColor: attr.color, color: PATH, zIndex: 1 });
      }
      if (i > 0) g.addDirectedEdgeWithKey(`path:${i}`, onPath[i - 1], id, { size: 2.5, color: PATH, path: true });
    }
    this.pathDrawn = onPath.length;
    this.parts.graph.dataset.path = String(onPath.length);
  }

  export(format: 'json' | 'csv' | 'svg' | 'png', stem: string) {
    const d = this.data;
    if (!d) return this.parts.onError('Open the landscape view and wait for the network first.');
    const name = `${stem}-${d.metric.replace(/[^A-Za-z0-9_@.-]/g, '_')}-${d.kind}`;
    if (format === 'json') {
      // The whole network (the page holds only the edges it draws).
      return void this.client.request({ type: 'landscape', metric: d.metric, kind: d.kind }).then(
        (full) => download(`${name}.json`, JSON.stringify({ ...full, edgesTotal: undefined }, null, 2), 'application/json'),
        (e: Error) => this.parts.onError(`Cannot export the network: ${e.message}`),
      );
    }
    if (format === 'csv')
      return download(
        `${name}-nodes.csv`,
        toCsv(
          ['id', 'arch', 'fitness', 'test_acc', 'basin_size', 'in_degree', 'global', 'sink'],
          d.nodes.map((n) => [n.id, n.arch, n.fitness, n.test_acc, n.basin_size, n.in_degree, n.global, n.sink]),
        ),
        'text/csv',
      );
    if (format === 'png' && this.sigma) return void downloadAsPNG(this.sigma, { fileName: name, backgroundColor: '#ffffff' });
    this.parts.onError('The network is drawn with WebGL, which has no SVG form: export it as PNG, or as JSON/CSV for Gephi or networkx.');
  }
}

function fmt(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : v.toFixed(2);
}
