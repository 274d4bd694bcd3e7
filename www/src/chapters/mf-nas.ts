// Chapter 5: MF-NAS is both — local search on a proxy, then successive halving on its best
// cells — against the baselines. The figure is the Run view's trajectory of the page's MF-NAS
// run, one chart column per stage, with local search on the same seed drawn over it (the
// link's second run); the prose's numbers come from the engine playing both runs to their end,
// and the answer from 100 seeds of each algorithm.
import type { ChapterContext, Chapter } from './types';
import type { Algo, Event, TableInfo, WholeRun } from '../types';
import { ALGOS } from '../config';
import { TrajectoryView } from '../views/trajectory';
import { compareChanged, overlaySecondRun } from '../views/compare';
import { count, duration, fact, num } from './facts';
import { mostCommon, runExperiment } from './experiment';
import { onTable, term } from './prose';
import { escapeHtml } from '../html';

/** Mean test accuracies closer than this count as the same. */
const SAME = 0.05;
const BASELINES: readonly Algo[] = ['rs', 'ls', 'sh', 'mf-nas'];

/** Stage 1's evaluations and cost, from a run's events (stage 2 starts where stage 1 ends). */
export function stageOne(events: readonly Event[]): { evals: number; cost: number } {
  let evals = 0;
  let cost = 0;
  for (const e of events) {
    if (e.type === 'stage_started' && e.stage > 1) break;
    if (e.type === 'evaluated' && e.charged) {
      evals = e.evals;
      cost = e.total_s;
    }
  }
  return { evals, cost };
}

export function mount(ctx: ChapterContext): Chapter {
  const { shell } = ctx;
  ctx.figure.innerHTML = `
    <div class="figure trajectory">
      <h3 class="visually-hidden">Trajectory of MF-NAS</h3>
      <div class="chart chapter-trajectory" role="img" aria-label="What MF-NAS scores at every evaluation, and its best so far, per stage"></div>
      <div class="chart chapter-trajectory-test" role="img" aria-label="Test accuracy of every evaluation and of the answer so far"></div>
    </div>`;
  const trajectory = new TrajectoryView(ctx.figure.querySelector('.chapter-trajectory')!, ctx.figure.querySelector('.chapter-trajectory-test')!);
  trajectory.onPick = (arch) => shell.pickArch(arch);
  let visible = false;
  const redraw = () => visible && trajectory.render(shell.run.trajectory, shell.state.x);
  const started = () => shell.run.info && trajectory.setObjectives(shell.run.info.objectives, shell.run.info.algo === 'mf-nas');
  const overlay = () => overlaySecondRun(shell, trajectory, redraw);
  ctx.on('runStarted', () => {
    started();
    redraw();
    void overlay();
    if (visible && !ctx.reducedMotion) shell.play();
  });
  ctx.on('redraw', redraw);
  ctx.on('state', (s, changed) => {
    if (changed.has('words')) trajectory.setWords(s.words);
    if (compareChanged(changed)) void overlay();
    if (changed.has('x') || changed.has('words')) redraw();
  });
  ctx.on('present', () => {
    started();
    redraw();
  });
  trajectory.setWords(shell.state.words);
  started();
  void overlay();

  const draw = async (t: TableInfo, current: () => boolean) => {
    const seed = shell.state.seed;
    const [mf, ls]: WholeRun[] = await Promise.all([
      shell.client.request({ type: 'wholeRun', params: shell.runParams('mf-nas'), seed }),
      shell.client.request({ type: 'wholeRun', params: shell.runParams('ls'), seed }),
    ]);
    if (!current()) return;
    const one = stageOne(mf.events as Event[]);
    const k = mf.outcome.n_candidates ?? 0;
    const budget = mf.info.budget_s;
    const proxy = mf.info.objectives.find((o) => o.startsWith('zc:')) ?? shell.state.zc;
    const runs = shell.state.runs;
    const lsOver = budget !== undefined && ls.outcome.cost_s > budget;
    ctx.prose.innerHTML = `
      <p>MF-NAS puts the two ideas together. ${term('stage1', 'Stage 1')} is the local search of
      chapter 2, but it scores cells with a zero-cost proxy (${term(proxy, proxy.slice(3))}) instead of
      training them: on ${escapeHtml(t.title)} its ${fact('stage1Evals', one.evals, count(one.evals))} evaluations
      cost ${fact('stage1Cost', one.cost, duration(one.cost))} of simulated time. ${term('stage2', 'Stage 2')} takes
      the best ${fact('candidates', k, count(k))} distinct cells stage 1 saw and hands them to the successive
      halving of chapter 4, which trains them and returns the winner; it spends
      ${fact('stage2Cost', mf.outcome.cost_s - one.cost, duration(mf.outcome.cost_s - one.cost))}${
        budget !== undefined ? ` of the ${fact('budget', budget, `${count(budget)} s`)} ${term('budget')}` : ''
      }.</p>
      <p>The figure plays MF-NAS on seed ${fact('seed', seed, String(seed))} (press Play, or To end), one column
      per stage; below them, the test accuracy of its answer so far and, dashed, that of plain local search on the
      same seed. MF-NAS returns a cell with ${fact('mfTest', mf.outcome.test_acc ?? NaN, `${num(mf.outcome.test_acc ?? NaN)} %`)} test
      accuracy. Local search, scoring every cell by its short training, returns
      ${fact('lsTest', ls.outcome.test_acc ?? NaN, `${num(ls.outcome.test_acc ?? NaN)} %`)} on the same seed and spends
      ${fact('lsCost', ls.outcome.cost_s, `${count(ls.outcome.cost_s)} s`)}${
        lsOver ? `, ending ${term('overrun', 'above its budget')}: it checks the budget only between sweeps of the neighbourhood` : ''
      }.</p>
      <div class="chapter-question"></div>`;
    ctx.ask(ctx.prose.querySelector('.chapter-question')!, {
      prompt: `Over ${fact('runsAsked', runs, count(runs))} seeds, which search returns the more accurate cell on average: local search scoring cells by their short training, or MF-NAS?`,
      options: [
        { id: 'ls', text: 'Local search' },
        { id: 'same', text: `About the same (within ${SAME} points)` },
        { id: 'mf-nas', text: 'MF-NAS' },
      ],
      answer: async () => {
        const entries = await runExperiment(shell, BASELINES, runs);
        const by = (a: Algo) => entries.find((e) => e.algo === a)!;
        const d = by('mf-nas').summary.mean - by('ls').summary.mean;
        const common = mostCommon(by('mf-nas').outcomes);
        return {
          correct: Math.abs(d) <= SAME ? 'same' : d > 0 ? 'mf-nas' : 'ls',
          html: `<p>Mean test accuracy over seeds 1 to ${fact('runs', runs, count(runs))}, with its spread:
            ${BASELINES.map(
              (a) =>
                `${escapeHtml(ALGOS[a])} ${fact(`mean.${a}`, by(a).summary.mean, num(by(a).summary.mean))} ± ${fact(`std.${a}`, by(a).summary.std, num(by(a).summary.std))}`,
            ).join('; ')}.</p>
            ${
              common
                ? `<p>MF-NAS returned the same cell in ${fact('sameCell', common.count, count(common.count))} of the
            ${fact('runsAgain', runs, count(runs))} runs${
              common.count >= 0.9 * runs ? ': whichever cell stage 1 starts from, it ends among the same few cells, and stage 2 picks the same winner from them' : ''
            }.</p>`
                : ''
            }
            <p>The proxy is cheap but misleads; training is trustworthy but dear. MF-NAS spends the cheap
            evaluations on finding candidates and the training on a few of them.</p>`,
        };
      },
    });
  };
  const again = onTable(ctx, draw);
  ctx.on('state', (_s, changed) => (changed.has('seed') || changed.has('zc') || changed.has('runs')) && again());

  return {
    figure: ctx.figure,
    show() {
      visible = true;
      started();
      redraw();
      if (!ctx.reducedMotion) shell.play();
    },
    hide() {
      visible = false;
      shell.pause();
    },
  };
}
