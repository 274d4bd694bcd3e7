// Chapter 3: zero-cost proxies, and where they mislead. The figure is the map of all cells for a
// proxy and for test accuracy side by side (the same cell at the same place, optima marked, the
// best cell of each ringed); the prose says how much of the space the proxy scores, how easy its
// landscape is to climb, and the answer how accurate its best cell really is — every number
// from the engine's landscape of the two metrics.
import type { ChapterContext, Chapter } from './types';
import type { TableInfo } from '../types';
import { SpaceMapFigure } from '../views/spacemap';
import { Link } from '../views/link';
import { proxyColumn, spaceMap, testColumn } from './columns';
import { count, fact, num, optionFor, pct, type Range } from './facts';
import { foldExplain, lacks, onTable, term } from './prose';
import { escapeHtml } from '../html';

/** How far below the best cell the proxy's best cell is (points of test accuracy). */
const GAP: Range[] = [
  { id: 'same', text: 'It is the best cell, or as good', below: 1e-9 },
  { id: 'close', text: 'Less than 0.5 points below', below: 0.5 },
  { id: 'some', text: '0.5 to 2 points below', below: 2 },
  { id: 'far', text: 'More than 2 points below', below: Infinity },
];

export function mount(ctx: ChapterContext): Chapter {
  const { shell } = ctx;
  const picker = document.createElement('label');
  picker.className = 'inline chapter-proxy';
  picker.dataset.term = 'proxy';
  picker.innerHTML = 'Proxy <select name="chapter-proxy"></select>';
  const select = picker.querySelector('select')!;
  const box = document.createElement('div');
  ctx.figure.append(picker, box);
  const link = new Link();
  const map = new SpaceMapFigure(box, link, { neighbours: (key) => shell.client.request({ type: 'neighbours', arch: key }) }, { words: shell.state.words, optima: true });
  foldExplain(map.frame);
  link.on((_h, picked) => picked !== null && shell.pickArch(picked));
  select.onchange = () => shell.set({ zc: select.value, metric: `zc:${select.value}` });
  ctx.on('state', (s, changed) => changed.has('words') && map.configure({ words: s.words }));

  const draw = async (t: TableInfo, current: () => boolean) => {
    const test = testColumn(t);
    if (!test) throw lacks(t, 'test accuracy');
    const proxies = t.proxies.filter((p) => p !== 'skip');
    select.innerHTML = proxies.map((p) => `<option value="${escapeHtml(p)}">${escapeHtml(p.replace(/^freerea_/, 'FreeREA '))}</option>`).join('');
    const name = proxies.includes(shell.state.zc) ? shell.state.zc : proxies.includes('synflow') ? 'synflow' : proxies[0];
    const proxy = name ? proxyColumn(t, name) : null;
    if (!proxy) throw lacks(t, 'zero-cost proxy');
    select.value = name;
    const [p, a] = await Promise.all([spaceMap(shell, proxy), spaceMap(shell, test)]);
    if (!current()) return;
    map.setMaps([p, a]);
    const ps = p.summary;
    const ts = a.summary;
    const best = ts.best_fitness ?? NaN;
    const proxyBest = ps.global_optima_mean_test_acc ?? NaN;
    const gap = best - proxyBest;
    const shown = escapeHtml(name.replace(/^freerea_/, 'FreeREA '));
    ctx.prose.innerHTML = `
      <p>A ${term('proxy', 'zero-cost proxy')} scores a cell from its untrained network: how big it is,
      how signals and gradients flow through it before any training. It costs a tiny fraction of training,
      so a search can afford thousands of them. The question is whether a high score means an accurate network.</p>
      <p>The figure maps all ${fact('cells', ts.n_archs, count(ts.n_archs))} cells twice, each at the same place:
      on the left coloured by the ${shown} score, on the right by test accuracy. Dots mark local optima, rings
      the best cell of each map. Grey cells have no score: the published ${shown} scores cover
      ${fact('proxyScored', ps.n_archs - ps.n_missing, count(ps.n_archs - ps.n_missing))} cells, and the other
      ${fact('proxyMissing', ps.n_missing, count(ps.n_missing))} count as the worst score.</p>
      <p>The proxy's landscape is easy to climb: it has ${fact('proxyOptima', ps.n_optima, count(ps.n_optima))}
      ${term('local optimum', ps.n_optima === 1 ? 'local optimum' : 'local optima')}, and
      ${fact('proxyBasin', ps.largest_basin, count(ps.largest_basin))} cells climb to the same one. Test accuracy has
      ${fact('testOptima', ts.n_optima, count(ts.n_optima))}. On the whole the proxy orders cells much as test accuracy
      does: their ${term('spearman', 'rank agreement')} is ${fact('spearman', ps.spearman ?? NaN, num(ps.spearman ?? NaN))}
      (1 would be the same order).</p>
      <div class="chapter-question"></div>`;
    const question = ctx.ask(ctx.prose.querySelector('.chapter-question')!, {
      prompt: `A perfect search on the ${shown} score returns its best cell. How accurate is that cell, compared with the best cell of the space (${fact(
        'bestTest',
        best,
        pct(best),
      )})?`,
      options: GAP.map(({ id, text }) => ({ id, text })),
      answer: async () => ({
        correct: optionFor(GAP, gap),
        html: `<p>${fact('proxyBestTest', proxyBest, pct(proxyBest))}: ${fact('gap', gap, num(gap))} points below the best.
          And of the ${fact('top', ps.top1_k, count(ps.top1_k))} best cells by the proxy, only
          ${fact('overlap', ps.top1_overlap, count(ps.top1_overlap))} are among the ${fact('topAgain', ts.top1_k, count(ts.top1_k))}
          most accurate. A proxy can agree with accuracy on the whole and still miss at the very top, which is
          where a search that trusts it ends.</p>
          <p>Pick another proxy in the figure's Proxy menu: each misleads differently, and none is a search by itself.</p>`,
      }),
    });
    question.onReveal = () => p.global_optima.length && link.pick(p.ids[p.global_optima[0]]);
  };
  const again = onTable(ctx, draw);
  ctx.on('state', (_s, changed) => changed.has('zc') && again());
  return { figure: ctx.figure, show() {} };
}
