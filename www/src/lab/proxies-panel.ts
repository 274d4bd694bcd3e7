// "Real proxies": zero-cost proxies of one cell computed in the browser by the lab module, on
// NAS-Bench-201's own network and a seeded batch of real CIFAR-10 images, beside the values the
// loaded table publishes, with the time they took and why data-dependent ones differ.
import { ProxyLab, LabError } from './lab-client';
import { fmt, sameValue, shellQuote, type LabCell } from './cell';
import type { ProxyScore, ScoreResult } from './protocol';
import { timed } from '../perf';
import { escapeHtml } from '../html';

const ABOUT: Record<string, string> = {
  params: 'trainable parameters (millions); depends on the cell alone',
  flops: 'forward FLOPs of one 32×32 image (millions); depends on the cell alone',
  synflow: 'log Σ|θ·∂R/∂θ| with all weights made positive and an all-ones input: no images, but random weights',
  nwot: 'NASWOT: log|det K| of the ReLU on/off patterns over a batch of real images',
};

export interface RealProxiesPanel {
  /** Shows another cell (the computed values are cleared). */
  setCell(cell: LabCell): void;
  /** Computes the proxies of the current cell; resolves with what was shown. */
  compute(): Promise<ScoreResult | null>;
  /** Ends the worker and empties the container. */
  destroy(): void;
}

/** Mounts the panel into `container`. The lab module loads on the first computation. */
export function mountRealProxies(container: HTMLElement, cell: LabCell, opts: { seed?: number; batch?: number; autostart?: boolean } = {}): RealProxiesPanel {
  let current = cell;
  let lab: Promise<ProxyLab> | null = null;
  let busy = false;
  const root = document.createElement('div');
  root.className = 'lab-panel lab-proxies';
  root.dataset.state = 'idle';
  root.innerHTML = `
    <p class="lab-lead">Zero-cost proxies of this cell, computed <strong>here in your browser</strong> on NAS-Bench-201's own network
    (C&nbsp;=&nbsp;16 channels, N&nbsp;=&nbsp;5 cells per stage, 10 classes) with freshly drawn random weights.</p>
    <div class="lab-row">
      <label>Seed <input name="seed" type="number" min="0" step="1" value="${opts.seed ?? 0}" /></label>
      <label>Batch <select name="batch">${[8, 16, 32, 64, 80].map((b) => `<option value="${b}" ${b === (opts.batch ?? 16) ? 'selected' : ''}>${b} images</option>`).join('')}</select></label>
      <button type="button" class="lab-go">Compute</button>
      <span class="lab-status" role="status" aria-live="polite"></span>
    </div>
    <table class="lab-scores">
      <caption class="lab-arch"></caption>
      <thead><tr><th scope="col">proxy</th><th scope="col" class="num">computed here</th><th scope="col" class="num">published</th><th scope="col" class="num">time</th></tr></thead>
      <tbody></tbody>
    </table>
    <p class="lab-note"><strong>Why the numbers can differ from the table.</strong> <em>params</em> and <em>FLOPs</em> depend on the cell alone,
    so they equal the published values exactly. <em>synflow</em> looks at no image, but at random initial weights: change the seed and its value
    moves a little while the order of cells barely changes. <em>NASWOT</em> also depends on the images: which ones are in the batch and how many
    (the log-determinant of a B×B matrix grows with B). The table's values were computed by NAS-Bench-Suite-Zero with other random weights,
    on batches of 64 original CIFAR-10 images; this page uses the seed's weights and a batch of JPEG-compressed CIFAR-10 images. Compare
    cells by rank, not by absolute value.</p>
    <details class="lab-cli"><summary>The same numbers on the command line</summary><pre><code></code></pre>
    <p>With <code>--images</code> pointing at this site's <code>lab/cifar10-lab.bin</code> (or, without it, the same images taken from the
    CIFAR-10 JPEG shards); a build with <code>--features companion</code>.</p></details>`;
  container.replaceChildren(root);
  const $ = <T extends HTMLElement>(sel: string) => root.querySelector<T>(sel)!;
  const seedEl = $<HTMLInputElement>('input[name=seed]');
  const batchEl = $<HTMLSelectElement>('select[name=batch]');
  const status = $('.lab-status');

  const settings = () => ({ seed: Number(seedEl.value), batch: Number(batchEl.value) });

  function draw(scores: ProxyScore[], names: string[]) {
    const { batch } = settings();
    timed('lab proxies table', () => {
      const byName = new Map(scores.map((s) => [s.name, s]));
      $('tbody').innerHTML = names
        .map((name) => {
          const s = byName.get(name);
          const pub = current.published?.[`zc:${name}`];
          const same = s && pub !== undefined && sameValue(s.score, pub);
          const about = name === 'nwot' ? `${ABOUT.nwot}; here ${batch} images, for the table 64: the value grows with the batch (about ×${batch}/64)` : (ABOUT[name] ?? '');
          return `<tr data-proxy="${name}" ${s ? `data-score="${s.score}"` : ''} ${pub !== undefined ? `data-published="${pub}"` : ''}>
            <th scope="row">${name}<small>${escapeHtml(about)}</small></th>
            <td class="num">${s ? fmt(s.score) : busy ? '…' : ''}${same ? ' <span class="lab-equal">= table</span>' : ''}</td>
            <td class="num">${pub !== undefined ? fmt(pub) : '<span class="muted" title="the table has no value for this cell">not in table</span>'}</td>
            <td class="num">${s ? `${(s.seconds * 1000).toFixed(0)} ms` : ''}</td></tr>`;
        })
        .join('');
    });
  }

  function describeCell() {
    const { seed, batch } = settings();
    $('.lab-arch').innerHTML = `<code>${escapeHtml(current.archString)}</code>${current.index !== undefined ? ` · NB201 #${current.index}` : ''}${current.tableTitle ? ` · published: ${escapeHtml(current.tableTitle)}` : ''}`;
    $('.lab-cli code').textContent = `mfnas score --arch ${shellQuote(current.archString)} --proxies params,flops,synflow,nwot --seed ${seed} --batch ${batch} --images lab/cifar10-lab.bin`;
  }

  const PAGE = ['params', 'flops', 'synflow', 'nwot'];

  async function compute(): Promise<ScoreResult | null> {
    if (busy) return null;
    const { seed, batch } = settings();
    if (!Number.isInteger(seed) || seed < 0) {
      status.textContent = 'The seed must be a whole number from 0.';
      return null;
    }
    busy = true;
    root.dataset.state = 'computing';
    $<HTMLButtonElement>('.lab-go').disabled = true;
    const got: ProxyScore[] = [];
    draw(got, PAGE);
    try {
      if (!lab) {
        status.textContent = 'Loading the lab module and its images…';
        lab = ProxyLab.open();
        lab.catch(() => (lab = null));
      }
      const l = await lab;
      status.textContent = 'Computing in a worker…';
      const result = await l.score(current.archString, PAGE, seed, batch, (s) => {
        got.push(s);
        draw(got, PAGE);
      });
      busy = false;
      draw(result.scores, PAGE);
      root.dataset.state = 'done';
      root.dataset.ms = String(Math.round(result.ms));
      status.textContent = `Scored in ${(result.ms / 1000).toFixed(2)} s, in a worker (seed ${seed}, ${batch} images).`;
      return result;
    } catch (e) {
      busy = false;
      root.dataset.state = 'error';
      const message = (e as Error).message;
      status.textContent = e instanceof LabError && e.kind === 'missing_data' ? message : `Could not compute: ${message}`;
      draw(got, PAGE);
      return null;
    } finally {
      busy = false;
      $<HTMLButtonElement>('.lab-go').disabled = false;
    }
  }

  $('.lab-go').onclick = () => void compute();
  seedEl.onchange = batchEl.onchange = describeCell;
  describeCell();
  draw([], PAGE);
  if (opts.autostart) void compute();

  return {
    setCell(cell) {
      current = cell;
      root.dataset.state = 'idle';
      status.textContent = '';
      describeCell();
      draw([], PAGE);
    },
    compute,
    destroy() {
      void lab?.then((l) => l.close()).catch(() => {});
      lab = null;
      root.remove();
    },
  };
}
