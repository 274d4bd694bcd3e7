// Chapter 1: a cell and its numbers. The figure walks through the space one edge at a time
// (it is moving when the page opens); the prose says how big the space is, how far apart its
// cells are, and the question asks what training all of them would cost.
import type { ChapterContext, Chapter } from './types';
import type { TableInfo } from '../types';
import { CellWalk, prng } from './cellwalk';
import { cheapValColumn, epochsOf, proxyColumn, ranker, spaceMap, testColumn } from './columns';
import { count, duration, fact, median, pct, type Range, optionFor, present, sum } from './facts';
import { lacks, onTable, term } from './prose';
import { escapeHtml } from '../html';

const TRAIN_ALL: Range[] = [
  { id: 'week', text: 'Less than a week', below: 7 },
  { id: 'months', text: 'One week to three months', below: 91 },
  { id: 'years', text: 'Three months to three years', below: 1096 },
  { id: 'more', text: 'More than three years', below: Infinity },
];

export function mount(ctx: ChapterContext): Chapter {
  const { shell } = ctx;
  let walk: CellWalk | null = null;
  let visible = false;

  const draw = async (t: TableInfo, current: () => boolean) => {
    const test = testColumn(t);
    const val = cheapValColumn(t);
    if (!test) throw lacks(t, 'test accuracy');
    // The full training the benchmark reports test accuracy after.
    const full = epochsOf(test);
    if (full === null) throw lacks(t, 'number of epochs for its test accuracy');
    const proxy = proxyColumn(t, shell.state.zc) ?? (t.proxies[0] ? `zc:${t.proxies[0]}` : null);
    const [testMap, timeMap, valMap, proxyMap] = await Promise.all([
      spaceMap(shell, test),
      spaceMap(shell, 'train_time_per_epoch'),
      val ? spaceMap(shell, val) : null,
      proxy ? spaceMap(shell, proxy) : null,
    ]);
    if (!current()) return;
    const cells = testMap.ids.length;
    const accs = present(testMap.values);
    const start = shell.state.arch ?? testMap.ids[Math.floor(prng(shell.state.seed)() * cells)];
    const first = await shell.client.request({ type: 'arch', arch: start });
    const neighbours = await shell.client.request({ type: 'neighbours', arch: start });
    if (!current()) return;
    const ops = testMap.op_order.length;
    const nodes = Math.max(...first.edges.map((e) => e.to)) + 1;
    const times = present(timeMap.values);
    const gpuSeconds = sum(times) * full;
    const gpuDays = gpuSeconds / 86_400;
    const medianTest = median(accs)!;

    ctx.prose.innerHTML = `
      <p>A network's <em>architecture</em> is its wiring: which layers, joined how. <em>Neural
      architecture search</em> (NAS) looks for the architecture that learns a task best.
      NAS-Bench-201 makes the search small enough to know completely: every network is the same
      stack around one repeated ${term('cell')}, a small graph of ${fact('nodes', nodes, String(nodes))} nodes whose
      ${fact('edges', first.edges.length, String(first.edges.length))} ${term('edge', 'edges')} each apply one of
      ${fact('ops', ops, String(ops))} ${term('operation', 'operations')} (none, skip, 1×1 or 3×3 convolution,
      3×3 average pooling). That makes ${fact('cells', cells, count(cells))} cells, and the benchmark trained every one.</p>
      <p>So every cell comes with its numbers, shown beside for the cell on screen: its
      ${term('test accuracy')} after ${fact('fullEpochs', full, String(full))} epochs of training, the number we care about and
      one a search must never look at; its ${term(val ?? 'val_acc', 'validation accuracy after a short training')},
      which a search may use; how long it takes to train; and a ${term('proxy', 'zero-cost proxy')} score,
      computed from the untrained network without any training.</p>
      <p>The cells differ a lot. On ${escapeHtml(t.title)} the best reaches
      ${fact('bestTest', accs[accs.length - 1], pct(accs[accs.length - 1]))} test accuracy, the median cell
      ${fact('medianTest', medianTest, pct(medianTest))} and the worst
      ${fact('worstTest', accs[0], pct(accs[0]))}.</p>
      <p>The figure walks through the space, changing one edge at a time. A cell has
      ${fact('neighbours', neighbours.length, String(neighbours.length))} such ${term('neighbour', 'neighbours')}
      (every edge can take each of the other operations), and the search of the next chapter moves
      only between neighbours. Watch how much a single edge can move the numbers.</p>
      <div class="chapter-question"></div>`;
    const question = ctx.ask(ctx.prose.querySelector('.chapter-question')!, {
      prompt: `Training one cell for ${fact('fullAgain', full, String(full))} epochs takes one GPU between ${fact('fastestTrain', times[0] * full, duration(times[0] * full))} and ${fact(
        'slowestTrain',
        times[times.length - 1] * full,
        duration(times[times.length - 1] * full),
      )}, depending on the cell. How long would one GPU take to train all ${fact('cellsAgain', cells, count(cells))} cells once?`,
      options: TRAIN_ALL.map(({ id, text }) => ({ id, text })),
      answer: async () => {
        const cell = walk?.cell;
        const perEpoch = cell?.values.find((v) => v.name === 'train_time_per_epoch')?.value;
        return {
          correct: optionFor(TRAIN_ALL, gpuDays),
          html: `<p>About ${fact('gpuDays', gpuDays, `${count(gpuDays)} GPU-days`)}: the table's training time per epoch
            of every cell, times ${fact('fullThird', full, String(full))} epochs, added up${
              perEpoch !== undefined && cell
                ? ` (the cell on screen alone takes ${fact('cellTrain', perEpoch * full, duration(perEpoch * full))})`
                : ''
            }.</p>
            <p>No search can afford to train every candidate, so searches score cells with cheaper numbers:
            a short training of a few epochs, or a proxy with no training at all. The next chapters show
            how a search moves, and how far the cheap numbers can be trusted.</p>`,
        };
      },
    });
    question.onReveal = () => walk?.pause();

    // The figure: the walk and its numbers.
    walk?.destroy();
    walk = new CellWalk(
      ctx.figure,
      { arch: (key) => shell.client.request({ type: 'arch', arch: key }), neighbours: (key) => shell.client.request({ type: 'neighbours', arch: key }) },
      [
        { column: test, label: `Test accuracy after ${full} epochs`, term: 'test accuracy', format: (v) => pct(v), rank: ranker(testMap), delta: true },
        ...(val && valMap ? [{ column: val, label: 'Validation accuracy after a short training', term: val, format: (v: number) => pct(v), rank: ranker(valMap), delta: true }] : []),
        ...(proxy && proxyMap ? [{ column: proxy, label: `${proxy.slice(3)} proxy score`, term: proxy, format: (v: number) => v.toPrecision(4), rank: ranker(proxyMap), delta: true }] : []),
        { column: 'train_time_per_epoch', label: `Training time, ${full} epochs`, term: 'simulated cost', format: (v) => duration(v * full) },
        { column: 'zc:params', label: 'Parameters', term: 'zc:params', format: (v) => `${v.toFixed(2)} M` },
      ],
    );
    walk.onCell = (key) => {
      if (shell.state.arch !== key) shell.set({ arch: key });
    };
    await walk.start(first.id, shell.state.seed);
    if (visible && !ctx.reducedMotion) walk.play();
  };

  onTable(ctx, draw);
  // Another seed is another walk, from a cell that seed picks.
  ctx.on('state', (s, changed) => {
    if (!changed.has('seed') || !walk || !shell.table) return;
    void spaceMap(shell, testColumn(shell.table)!).then((m) => walk?.start(m.ids[Math.floor(prng(s.seed)() * m.ids.length)], s.seed));
  });

  return {
    figure: ctx.figure,
    show() {
      visible = true;
      if (walk && !ctx.reducedMotion) walk.play();
    },
    hide() {
      visible = false;
      walk?.pause();
    },
    destroy() {
      walk?.destroy();
      walk = null;
    },
  };
}
