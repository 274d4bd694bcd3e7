// Chapter 2: hill climbing and local optima. The figure is the step inspector following the
// page's local search, played slowly: one comparison at a time, the changed edge, both scores,
// the verdict, and the current cell's 24 neighbours filling in. The prose's numbers come from
// the engine (the landscape of the search's score, and the same run played to its end), and
// the answer moves the inspector to the step where the search learns it is on a local optimum.
import type { ChapterContext, Chapter } from './types';
import type { Event, TableInfo } from '../types';
import { InspectorFigure } from '../views/inspector';
import { emptyInspector, foldInspector, triedAt, type Inspector } from '../models/inspector';
import { count, fact, num } from './facts';
import { cheapValColumn, epochsOf, testColumn } from './columns';
import { foldExplain, lacks, onTable, term } from './prose';
import { escapeHtml } from '../html';

/** The run's first escape, as the engine's events tell it: the comparison, and what was tried before it. */
export function firstEscape(m: Inspector): { step: number; evals: number; from: number; score: number | undefined; tried: number } | null {
  const i = m.steps.findIndex((s) => s.event.verdict === 'escape');
  if (i < 0) return null;
  const s = m.steps[i];
  return { step: i, evals: s.evals, from: s.event.from, score: s.event.before, tried: i > 0 ? triedAt(m, i - 1).size : 0 };
}

export function mount(ctx: ChapterContext): Chapter {
  const { shell } = ctx;
  const inspector = new InspectorFigure(
    ctx.figure,
    { arch: (key) => shell.client.request({ type: 'arch', arch: key }), neighbours: (key) => shell.client.request({ type: 'neighbours', arch: key }) },
    { scope: 'neighbourhood', words: shell.state.words },
  );
  foldExplain(inspector.frame);
  let model: Inspector = foldInspector(emptyInspector(), shell.runEvents().events);
  let visible = false;
  /** Called when new comparisons arrive (the reveal waits for the escape's). */
  let waiting: (() => void) | null = null;
  ctx.on('runStarted', () => {
    model = emptyInspector();
    inspector.update(model);
    if (visible && !ctx.reducedMotion) shell.play();
  });
  ctx.on('batch', (events) => {
    foldInspector(model, events);
    waiting?.();
  });
  ctx.on('redraw', () => visible && inspector.update(model));
  ctx.on('state', (s, changed) => changed.has('words') && inspector.configure({ words: s.words }));

  const draw = async (t: TableInfo, current: () => boolean) => {
    const objective = cheapValColumn(t);
    if (!objective) throw lacks(t, 'validation accuracy');
    const seed = shell.state.seed;
    const test = testColumn(t);
    if (!test) throw lacks(t, 'test accuracy');
    const [whole, land, testLand] = await Promise.all([
      shell.client.request({ type: 'wholeRun', params: shell.runParams('ls'), seed }),
      shell.client.request({ type: 'landscapeSummary', metric: objective }),
      shell.client.request({ type: 'landscapeSummary', metric: test }),
    ]);
    if (!current()) return;
    const played = foldInspector(emptyInspector(), whole.events as Event[]);
    const escape = firstEscape(played);
    const start = played.steps[0]?.event.from ?? whole.outcome.arch;
    const neighbours = (await shell.client.request({ type: 'neighbours', arch: start })).length;
    if (!current()) return;
    const epochs = epochsOf(objective) ?? NaN;
    const moves = played.steps.filter((s) => s.event.verdict === 'accepted').length;
    const escapes = played.steps.filter((s) => s.event.verdict === 'escape').length;
    ctx.prose.innerHTML = `
      <p>${term('fls', 'Local search')} is the simplest way to search without looking at everything:
      stand on a cell, try a ${term('neighbour')} (the same cell with one edge changed), and move there
      if it scores at least as well. Here the score is the ${term(objective, 'validation accuracy after the short training')},
      which costs the search ${fact('epochs', epochs, String(epochs))} epochs of training for every cell it tries.</p>
      <p>The inspector beside shows one comparison at a time: the ${term('current', 'current cell')} and the
      ${term('candidate')} with the changed edge highlighted, both scores and their ${term('difference')}, and
      whether the search moved. The ring is the current cell's whole neighbourhood,
      ${fact('neighbours', neighbours, String(neighbours))} cells, filled in as they are tried. Press Step to go one
      comparison at a time.</p>
      <p>When no neighbour scores at least as well, the current cell is a ${term('local optimum')}: hill
      climbing alone would stop there. On ${escapeHtml(t.title)} this score has
      ${fact('optima', land.n_optima, count(land.n_optima))} local optima among its
      ${fact('cells', land.n_archs, count(land.n_archs))} cells; the largest ${term('basin')}, the cells whose
      climb ends at one optimum, holds ${fact('largestBasin', land.largest_basin, count(land.largest_basin))} of them.</p>
      <p>So the search ${term('escape', 'escapes')}: it jumps to a random cell two edges away and climbs
      again from there, whatever that cell scores. On seed ${fact('seed', seed, String(seed))} it moves
      ${fact('moves', moves, count(moves))} times and escapes ${fact('escapes', escapes, count(escapes))} times before its
      budget runs out, and returns a cell with ${fact('lsTest', whole.outcome.test_acc ?? NaN, `${num(whole.outcome.test_acc ?? NaN)} %`)} test
      accuracy; the best cell of the space has ${fact('bestTest', testLand.best_fitness ?? NaN, `${num(testLand.best_fitness ?? NaN)} %`)}.</p>
      <div class="chapter-question"></div>`;
    if (!escape) {
      ctx.prose.querySelector('.chapter-question')!.innerHTML = '<p class="muted">This run never reaches a local optimum within its budget: try another seed.</p>';
      return;
    }
    const edges = (await shell.client.request({ type: 'arch', arch: start })).edges.length;
    const question = ctx.ask(ctx.prose.querySelector('.chapter-question')!, {
      prompt: 'The search stands on a cell, and every neighbour it has tried so far scored worse. How many neighbours must it try before it knows the cell is a local optimum?',
      options: [
        { id: 'one', text: 'One: the first worse neighbour settles it' },
        { id: 'edges', text: `${edges}: one per edge` },
        { id: 'all', text: `${neighbours}: every neighbour` },
        { id: 'space', text: `${count(land.n_archs - 1)}: every other cell` },
      ],
      answer: async () => ({
        correct: escape.tried === neighbours ? 'all' : escape.tried === edges ? 'edges' : escape.tried === 1 ? 'one' : 'space',
        html: `<p>${
          escape.tried === neighbours
            ? 'All of them: a cell is a local optimum only if none of its neighbours scores at least as well, and the only way to know is to try each one.'
            : 'As many as the engine tried before its escape:'
        } On seed ${fact('seedAgain', seed, String(seed))} the search
          tried all ${fact('triedBeforeEscape', escape.tried, String(escape.tried))} neighbours of the cell it stood on
          (score ${fact('optimumScore', escape.score ?? NaN, `${num(escape.score ?? NaN)} %`)}), none of them at least as good,
          and escaped at evaluation ${fact('escapeEval', escape.evals, count(escape.evals))}: the inspector now shows that
          step. Every local optimum costs the search a full sweep of its neighbourhood.</p>`,
      }),
    });
    question.onReveal = () => void showEscape(escape.step);
  };

  /** Plays the run up to the first escape (if it is not there yet) and shows that step. */
  const showEscape = async (step: number) => {
    if (model.steps.length <= step) {
      await new Promise<void>((resolve) => {
        waiting = () => model.steps.length > step && resolve();
        shell.finish();
      });
      waiting = null;
    }
    inspector.update(model);
    inspector.browse(step);
  };

  const again = onTable(ctx, draw);
  ctx.on('state', (_s, changed) => changed.has('seed') && again());
  return {
    figure: ctx.figure,
    show() {
      visible = true;
      inspector.update(model);
      if (!ctx.reducedMotion) shell.play();
    },
    hide() {
      visible = false;
      shell.pause();
    },
  };
}
