// Chapter 4: successive halving. The figure is the bracket of the page's SH run, played slowly:
// each round's candidates ranked, the cut-off line, "kept 4 of 32 by …", and the budget bar. The
// prose's numbers come from the engine playing the same run to its end; the answer from 100
// seeds of it: how often the short training keeps the cell that is best after full training.
import type { ChapterContext, Chapter } from './types';
import type { Event, TableInfo } from '../types';
import { BracketView } from '../views/bracket';
import { bestOfCandidates, runExperiment } from './experiment';
import { epochsOf } from './columns';
import { count, fact, optionFor, type Range } from './facts';
import { foldExplain, onTable, term } from './prose';

/** Share of runs that return the most accurate of their candidates. */
const HOW_OFTEN: Range[] = [
  { id: 'rarely', text: 'Rarely (in less than a third of the runs)', below: 1 / 3 },
  { id: 'half', text: 'About half the time (a third to two thirds)', below: 2 / 3 },
  { id: 'mostly', text: 'Most of the time, but not always', below: 1 },
  { id: 'always', text: 'Always', below: Infinity },
];

/** Per round of a successive-halving run's events: its candidates and the epochs and seconds it was charged. */
export function rounds(events: readonly Event[]): { objective: string; candidates: number; epochs: number; seconds: number }[] {
  const out: { objective: string; candidates: number; epochs: number; seconds: number }[] = [];
  for (const e of events) {
    if (e.type === 'rung_started') out.push({ objective: e.objective, candidates: e.candidates.length, epochs: 0, seconds: 0 });
    else if (e.type === 'evaluated' && e.charged && out.length) {
      out[out.length - 1].epochs += e.epochs;
      out[out.length - 1].seconds += e.cost_s;
    } else if (e.type === 'refunded' && out.length) {
      out[out.length - 1].epochs -= e.epochs;
      out[out.length - 1].seconds -= e.cost_s;
    }
  }
  return out;
}

export function mount(ctx: ChapterContext): Chapter {
  const { shell } = ctx;
  const bracket = new BracketView(ctx.figure, { words: shell.state.words });
  foldExplain(bracket.frame);
  bracket.onPick = (arch) => shell.pickArch(arch);
  let visible = false;
  const redraw = () => visible && bracket.render(shell.run.bracket, shell.run.info, shell.run.outcome?.arch ?? null);
  ctx.on('runStarted', () => {
    redraw();
    if (visible && !ctx.reducedMotion) shell.play();
  });
  ctx.on('redraw', redraw);
  ctx.on('state', (s, changed) => {
    if (!changed.has('words')) return;
    bracket.configure({ words: s.words });
    redraw();
  });

  const draw = async (t: TableInfo, current: () => boolean) => {
    const seed = shell.state.seed;
    const runs = shell.state.runs;
    const whole = await shell.client.request({ type: 'wholeRun', params: shell.runParams('sh'), seed });
    if (!current()) return;
    const r = rounds(whole.events as Event[]);
    if (r.length < 2) throw new Error(`successive halving on ${t.title} has ${r.length} round: the chapter needs at least two`);
    const [first, last] = [r[0], r[r.length - 1]];
    const full = epochsOf(last.objective) ?? NaN;
    const short = epochsOf(first.objective) ?? NaN;
    if (!Number.isFinite(full) || !Number.isFinite(short)) throw new Error(`successive halving on ${t.title} ranks by ${first.objective} and ${last.objective}, not by trainings of a number of epochs`);
    const total = r.reduce((s, x) => s + x.epochs, 0);
    const everyone = first.candidates * full;
    const outcome = whole.outcome;
    ctx.prose.innerHTML = `
      <p>Local search trusts one cheap score. Successive halving instead trains many cells a little and
      keeps training only the promising ones. This run draws ${fact('candidates', first.candidates, count(first.candidates))}
      random cells and trains each for ${fact('shortEpochs', short, String(short))} epochs (the ${term(first.objective, 'short training')}). After each round it
      keeps the best by validation accuracy and trains only those further (${r
        .map((x, i) => fact(`round.${i}`, x.candidates, count(x.candidates)))
        .join(' → ')} cells), the last round for ${fact('fullEpochs', full, count(full))} epochs; the best cell of the last
      round is the answer.</p>
      <p>The figure plays it (press Play, Step or To end): each column is a ${term('rung', 'round')}, its
      candidates ranked by the round's score, with the ${term('cut-off')} drawn between those
      ${term('promoted', 'kept')} and those ${term('pruned', 'dropped')}. The bar on top fills with the simulated time
      each round spends.</p>
      <p>The saving is large: the rounds cost ${r.map((x, i) => fact(`roundEpochs.${i}`, x.epochs, count(x.epochs))).join(' and ')}
      epochs, ${fact('totalEpochs', total, count(total))} in all, against ${fact('everyone', everyone, count(everyone))} to train all
      ${fact('candidatesAgain', first.candidates, count(first.candidates))} fully. The price: a cell that learns slowly
      can be dropped after the short training and never trained further.</p>
      <div class="chapter-question"></div>`;
    ctx.ask(ctx.prose.querySelector('.chapter-question')!, {
      prompt: `Over ${fact('runsAsked', runs, count(runs))} seeds, how often does the cell successive halving returns turn out to be the most accurate of its ${fact(
        'candidatesAsked',
        first.candidates,
        count(first.candidates),
      )} candidates (by test accuracy after full training)?`,
      options: HOW_OFTEN.map(({ id, text }) => ({ id, text })),
      answer: async () => {
        const [entry] = await runExperiment(shell, ['sh'], runs);
        const best = bestOfCandidates(entry.outcomes);
        return {
          correct: optionFor(HOW_OFTEN, best / runs),
          html: `<p>In ${fact('bestRuns', best, count(best))} of the ${fact('runs', runs, count(runs))} runs.${
            best < runs ? ' In the others a short training ranked another cell above the one that ends best, and the cut-off dropped it or a later round passed it over.' : ''
          } Here, on seed
            ${fact('seed', seed, String(seed))}, the returned cell ranks ${fact('rank', outcome.rank_among_candidates ?? NaN, count(outcome.rank_among_candidates ?? NaN))}
            of ${fact('candidatesThisRun', outcome.n_candidates ?? NaN, count(outcome.n_candidates ?? NaN))} by test accuracy.</p>
            <p>A short training ranks cells only roughly${
              best >= runs / 2 ? ', but most of the time well enough to keep the best among the few it trains further' : ''
            }. What successive halving cannot fix is where its candidates come from: random cells. MF-NAS, next,
            gives it better ones.</p>`,
        };
      },
    });
  };
  const again = onTable(ctx, draw);
  ctx.on('state', (_s, changed) => (changed.has('seed') || changed.has('runs')) && again());
  return {
    figure: ctx.figure,
    show() {
      visible = true;
      redraw();
      if (!ctx.reducedMotion) shell.play();
    },
    hide() {
      visible = false;
      shell.pause();
    },
  };
}
