// Chapter 6: reproducing the paper, and what our data changes. The figure is the Experiment
// view's table and spread beside the paper's numbers, run for the paper's algorithms over 100
// seeds when the chapter opens; the prose says what differs (the 12-epoch numbers, the proxies'
// coverage) with every number computed from that experiment and the engine's tables.
import type { ChapterContext, Chapter } from './types';
import type { Algo, ExperimentEntry, PaperResult, TableInfo } from '../types';
import { ALGOS, PAPER_ALGOS } from '../config';
import { ExperimentView } from '../views/experiment';
import { cheapValColumn, epochsOf, proxyColumn, spaceMap, testColumn } from './columns';
import { count, fact, num } from './facts';
import { runExperiment } from './experiment';
import { lacks, onTable, term } from './prose';
import { escapeHtml } from '../html';

/** The searches that score cells by the short training (the paper's "12 epochs"). */
const SHORT_TRAINING: readonly Algo[] = ['rs', 'ls', 'rea', 'rea-w'];
/** Within this many points of the paper counts as the same. */
const SAME = 0.1;

const OPTIONS: { id: ReturnType<typeof direction>; text: string }[] = [
  { id: 'above', text: 'Above the paper’s numbers' },
  { id: 'same', text: `The same, within ${SAME} points` },
  { id: 'below', text: 'Below the paper’s numbers' },
  { id: 'mixed', text: 'Some above, some below' },
];

/** How a set of differences from the paper reads: all above, all the same, all below, or mixed. */
export function direction(deltas: readonly number[]): 'above' | 'same' | 'below' | 'mixed' {
  if (deltas.every((d) => Math.abs(d) <= SAME)) return 'same';
  if (deltas.every((d) => d > SAME)) return 'above';
  if (deltas.every((d) => d < -SAME)) return 'below';
  return 'mixed';
}

export function mount(ctx: ChapterContext): Chapter {
  const { shell } = ctx;
  ctx.figure.innerHTML = `
    <div class="panel">
      <div class="progress-line"><progress max="1" value="0" aria-label="Experiment progress"></progress><span class="muted" aria-live="polite"></span></div>
      <div class="table-scroll chapter-results" tabindex="0" role="region" aria-label="Our results beside the paper's"></div>
      <div class="chart" role="img" aria-label="Box plot of the test accuracy each algorithm returned, with the paper's mean as a diamond; the table above has the numbers"></div>
    </div>`;
  const view = new ExperimentView(
    ctx.figure.querySelector('.chapter-results')!,
    ctx.figure.querySelector('.chart')!,
    ctx.figure.querySelector('progress')!,
    ctx.figure.querySelector('.progress-line span')!,
  );
  let result: Promise<ExperimentEntry[]> | null = null;

  const draw = async (t: TableInfo, current: () => boolean) => {
    const paper = (await shell.paperNumbers()).filter((p) => p.dataset === t.dataset);
    const runs = shell.state.runs;
    const algos = [...PAPER_ALGOS];
    view.clear('Running the paper’s algorithms in the worker…');
    result = runExperiment(shell, algos, runs, (done, total) => view.progress(done, total, null));
    const val = cheapValColumn(t);
    if (!val) throw lacks(t, 'validation accuracy');
    const proxy = proxyColumn(t, shell.state.zc);
    const coverage = proxy ? (await spaceMap(shell, proxy)).summary : null;
    if (!current()) return;
    const hp12 = val.endsWith('@hp12');
    const short = epochsOf(val) ?? NaN;
    const full = epochsOf(testColumn(t) ?? '') ?? NaN;
    ctx.prose.innerHTML = `
      <p>The paper behind this explorer (Phan and Luong, GECCO 2024) ran each search on
      NAS-Bench-201 over many seeds and reported the mean test accuracy of the cell each run
      returned. The table beside runs the same searches here, in the worker of this page, over
      seeds 1 to ${fact('runs', runs, count(runs))}, and puts the paper's numbers next to ours.
      They are the same algorithms on the same benchmark, but not on quite the same data.</p>
      ${
        hp12
          ? `<p>Random search, local search and REA score cells by validation accuracy after
      ${fact('shortEpochs', short, String(short))} epochs. The paper reads it at epoch ${fact('shortAgain', short, String(short))}
      of the ${fact('fullEpochs', full, String(full))}-epoch training, a number that is not public. Our tables use
      NAS-Bench-201's separate ${term(val, 'short training')} instead (a schedule of its own, not the first epochs of
      the long one), charged as ${fact('shortCharged', short, String(short))} epochs.</p>`
          : `<p>On this table, the short training the searches use is ${term(val, val)}.</p>`
      }
      ${
        coverage && proxy
          ? `<p>The proxies have gaps. ${escapeHtml(proxy.slice(3))} has a score for
      ${fact('proxyScored', coverage.n_archs - coverage.n_missing, count(coverage.n_archs - coverage.n_missing))} of the
      ${fact('cells', coverage.n_archs, count(coverage.n_archs))} cells of ${escapeHtml(t.title)}; the other
      ${fact('proxyMissing', coverage.n_missing, count(coverage.n_missing))} count as the worst score, so a search
      guided by it never prefers them.</p>`
          : ''
      }
      <div class="chapter-question"></div>`;
    const target = ctx.prose.querySelector<HTMLElement>('.chapter-question')!;
    const published = (a: Algo) => paper.find((p) => p.algo === a);
    const compared = SHORT_TRAINING.filter((a) => published(a));
    if (!compared.length) {
      target.innerHTML = `<p class="muted">The paper publishes no numbers for ${escapeHtml(t.title)}: pick CIFAR-10, CIFAR-100 or ImageNet16-120 above to compare.</p>`;
      return;
    }
    ctx.ask(target, {
      prompt: `With the separate short training, will the searches that use it (${compared.map((a) => ALGOS[a]).join(', ')}) come out above, the same as, or below the paper?`,
      options: OPTIONS,
      answer: async () => {
        const entries = await result!;
        const mean = (a: Algo) => entries.find((e) => e.algo === a)!.summary.mean;
        const deltas = compared.map((a) => mean(a) - published(a)!.mean);
        const mf = published('mf-nas');
        const mfDelta = mf ? mean('mf-nas') - mf.mean : null;
        return {
          correct: direction(deltas),
          html: `<p>${compared.map((a, i) => row(a, mean(a), published(a)!, deltas[i])).join('; ')}.</p>
            ${
              mfDelta !== null
                ? `<p>MF-NAS, whose last round trains for 200 epochs as the paper's does, gives
            ${fact('ours.mf-nas', mean('mf-nas'), num(mean('mf-nas')))} against the paper's
            ${fact('paper.mf-nas', mf!.mean, num(mf!.mean))}, ${Math.abs(mfDelta) <= SAME ? 'the same within' : 'a difference of'}
            ${fact('delta.mf-nas', mfDelta, `${mfDelta >= 0 ? '+' : '−'}${num(Math.abs(mfDelta))}`)} points.</p>`
                : ''
            }
            <p>${
              mfDelta !== null && Math.abs(mfDelta) <= SAME
                ? 'So the reproduction matches where the data is the paper’s, and differs where our short-training numbers had to differ.'
                : 'Where our data differs from the paper’s, so can the results: the Experiment view says which settings were used.'
            } The Experiment view runs any number of seeds and every algorithm.</p>`,
        };
      },
    });
    const entries = await result;
    if (!current()) return;
    view.progress(entries.reduce((s, e) => s + e.summary.runs, 0), entries.reduce((s, e) => s + e.summary.runs, 0), null);
    view.render(entries, paper, t.dataset, null);
  };

  const redraw = onTable(ctx, draw);
  ctx.on('state', (_s, changed) => changed.has('runs') && redraw());
  return { figure: ctx.figure, show() {} };
}

function row(a: Algo, ours: number, paper: PaperResult, delta: number): string {
  return `${escapeHtml(ALGOS[a])} ${fact(`ours.${a}`, ours, num(ours))} against ${fact(`paper.${a}`, paper.mean, num(paper.mean))} (${fact(
    `delta.${a}`,
    delta,
    `${delta >= 0 ? '+' : '−'}${num(Math.abs(delta))}`,
  )})`;
}
