// The chapters' pure parts: the list and its URL rules, the facts' small computations, and the
// answers computed from the engine's data (the real wasm engine, in Node).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSync, Session } from '../../../pkg/mfnas.js';
import type { Event, WholeRun } from '../types';
import { DEFAULTS, addressOf, isLanding, parseUrl } from '../state';
import { CHAPTERS, CHAPTERS_VIEW, CHAPTER_PARAM, chapterOf, enterState, explorerState, missingSettings, settingsPatch } from './list';
import { count, duration, fact, median, optionFor, present, sum } from './facts';
import { direction } from './paper';
import { stageOne } from './mf-nas';
import { mostCommon } from './experiment';
import { prng } from './cellwalk';
import { ranker } from './columns';
import type { SpaceMap } from '../types';
import { REGISTRY, viewParams } from '../shell/registry';
import { TERMS } from '../models/glossary';
import { readFileSync as read, readdirSync } from 'node:fs';

const withChapter = (id: string) => ({ ...DEFAULTS, extra: { [CHAPTER_PARAM]: id } });

describe('the chapter list', () => {
  it('chapters have distinct ids and each opens in a registered view of the explorer', () => {
    expect(new Set(CHAPTERS.map((c) => c.id)).size).toBe(CHAPTERS.length);
    const views = REGISTRY.map((v) => v.id);
    for (const c of CHAPTERS) expect(views).toContain(c.explorer.view);
  });

  it('a state without a chapter, or with an unknown one, shows the first chapter', () => {
    expect(chapterOf(DEFAULTS)).toBe(CHAPTERS[0]);
    expect(chapterOf(withChapter('nope'))).toBe(CHAPTERS[0]);
    expect(chapterOf(withChapter(CHAPTERS[CHAPTERS.length - 1].id))).toBe(CHAPTERS[CHAPTERS.length - 1]);
  });

  it('entering a chapter applies its settings and keeps only the dataset, seed and look of the page', () => {
    const from = { ...DEFAULTS, dataset: 'cifar100' as const, seed: 42, present: true, budget: 999, algo: 'rea' as const, k: 7, extra: { vs: 'rs', [CHAPTER_PARAM]: 'cell' } };
    for (const c of CHAPTERS) {
      const s = enterState(c, from);
      expect(s.view).toBe(CHAPTERS_VIEW);
      expect(s.extra[CHAPTER_PARAM]).toBe(c.id);
      expect([s.dataset, s.seed, s.present]).toEqual(['cifar100', 42, true]);
      expect(s.budget).toBe(c.settings.budget ?? DEFAULTS.budget);
      expect(s.k).toBe(c.settings.k ?? DEFAULTS.k);
      expect(s.extra.vs).toBe(c.settings.extra?.vs);
      for (const [k, v] of Object.entries(c.settings)) if (k !== 'extra') expect(s[k as keyof typeof s]).toEqual(v);
    }
  });

  it('an address opened directly keeps what it says; only the settings it lacks are applied', () => {
    const c = CHAPTERS.find((x) => Object.keys(x.settings).length >= 2)!;
    const [first, ...rest] = Object.keys(c.settings).filter((k) => k !== 'extra');
    const patch = missingSettings(c, `?view=chapters&chapter=${c.id}&${first}=whatever`);
    expect(first in patch).toBe(false);
    for (const k of rest) expect(k in patch).toBe(true);
    expect(missingSettings(c, `?${Object.keys(c.settings).map((k) => `${k}=x`).join('&')}`)).toEqual({});
  });

  it('a chapter opens in the explorer on its view, with its settings and its name kept', () => {
    const s = enterState(CHAPTERS[1], DEFAULTS);
    const e = explorerState(CHAPTERS[1], s);
    expect(e.view).toBe(CHAPTERS[1].explorer.view);
    expect(e.extra?.[CHAPTER_PARAM]).toBe(CHAPTERS[1].id);
    const back = settingsPatch(CHAPTERS[1], { ...s, ...e, algo: 'rs' });
    for (const [k, v] of Object.entries(CHAPTERS[1].settings)) if (k !== 'extra') expect(back[k as keyof typeof back]).toEqual(v);
  });

  it('every chapter address round-trips through the URL parser with no problem', () => {
    const known = { views: REGISTRY.map((v) => v.id), viewParams: viewParams() };
    for (const c of CHAPTERS) {
      const s = enterState(c, DEFAULTS);
      const { state, problems } = parseUrl(addressOf(s), known);
      expect(problems).toEqual([]);
      expect(state).toEqual(s);
    }
  });
});

describe('the chapters\' words', () => {
  it('every glossary term the prose and figures of the chapters use has its own entry (or is a column name)', () => {
    const dir = new URL('.', import.meta.url);
    const keys = new Set<string>();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = read(new URL(f, dir), 'utf8');
      for (const m of text.matchAll(/(?:term\(|term: )'([^']+)'|data-term="([^"$]+)"/g)) keys.add(m[1] ?? m[2]);
    }
    expect(keys.size).toBeGreaterThan(20);
    expect([...keys].filter((k) => !(k in TERMS) && !/^zc:|@/.test(k))).toEqual([]);
  });
});

describe('the landing address', () => {
  it('only the bare address is the landing page', () => {
    expect(isLanding('')).toBe(true);
    expect(isLanding('?')).toBe(true);
    expect(isLanding('?view=run')).toBe(false);
    expect(isLanding('?seed=1')).toBe(false);
  });

  it('the explorer at its defaults is never written as the bare address', () => {
    expect(addressOf(DEFAULTS)).toBe('?view=run');
    expect(isLanding(addressOf(DEFAULTS))).toBe(false);
    expect(parseUrl(addressOf(DEFAULTS)).state).toEqual(DEFAULTS);
    expect(addressOf({ ...DEFAULTS, seed: 9 })).toBe('?seed=9');
  });
});

describe('facts', () => {
  it('a fact carries its raw value and escapes its key and text', () => {
    expect(fact('a.b', 94.373, '94.37 %')).toBe('<span class="fact" data-fact="a.b" data-value="94.373">94.37 %</span>');
    expect(fact('<x>', 1, '<b>')).toContain('data-fact="&lt;x&gt;"');
  });

  it('median, sum and present leave missing values out', () => {
    expect(median([3, undefined, 1, null, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([undefined])).toBeNull();
    expect(sum([1, undefined, 2.5])).toBe(3.5);
    expect(present([2, NaN, 1])).toEqual([1, 2]);
  });

  it('a rank reader gives 1 to the best cell, counts only scored cells, and knows no other key', () => {
    for (const ids of [[4, 0, 9, 2], [4, 0, 9e12, 2]]) {
      const rankOf = ranker({ ids, rank: [1, null, 0, 2] } as unknown as SpaceMap);
      expect([4, 0, ids[2], 2].map(rankOf)).toEqual([{ rank: 2, of: 3 }, null, { rank: 1, of: 3 }, { rank: 3, of: 3 }]);
      expect([1, 3, -1, 0.5, 1e9].map(rankOf)).toEqual([null, null, null, null, null]);
    }
  });

  it('an answer range holds values from the previous bound up to, not including, its own', () => {
    const r = [
      { id: 'a', text: '', below: 7 },
      { id: 'b', text: '', below: 91 },
      { id: 'c', text: '', below: Infinity },
    ];
    expect([0, 6.99, 7, 90, 91, 1e9].map((v) => optionFor(r, v))).toEqual(['a', 'a', 'b', 'b', 'c', 'c']);
  });

  it('durations read in the unit a person would use', () => {
    expect([45, 600, 3660, 7199, 3 * 86_400].map(duration)).toEqual(['45 s', '10 min', '1 h 01 min', '2 h 00 min', '3.0 days']);
    expect(count(15625)).toBe('15,625');
  });

  it('the paper chapter reads differences as above, the same, below or mixed', () => {
    expect(direction([0.5, 0.4, 1])).toBe('above');
    expect(direction([0.05, -0.1])).toBe('same');
    expect(direction([-0.5, -0.2])).toBe('below');
    expect(direction([0.5, -0.5])).toBe('mixed');
    expect(direction([0.5, 0.05])).toBe('mixed');
  });

  it('the walk of a seed is the same every time, and differs between seeds', () => {
    const a = prng(7);
    const b = prng(7);
    const c = prng(8);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
    // Seeds beyond 2^32 (the page takes up to 2^53 - 1) still differ.
    expect(prng(2 ** 40)()).not.toBe(prng(0)());
  });
});

describe('answers from the engine (synthetic table)', () => {
  let session: Session;
  beforeAll(() => {
    initSync({ module: readFileSync(new URL('../../../pkg/mfnas_bg.wasm', import.meta.url)) });
    session = new Session();
    session.loadSyntheticTable(3);
  });

  it('stage 1 of MF-NAS ends at the evaluation before stage 2 starts', () => {
    const r = session.wholeRun({ algo: 'mf-nas', zc: 'synflow', budget_s: 20_000 } as never, 7) as WholeRun;
    const events = r.events as Event[];
    const one = stageOne(events);
    const i = events.findIndex((e) => e.type === 'stage_started' && e.stage === 2);
    const before = events.slice(0, i).filter((e) => e.type === 'evaluated' && e.charged);
    const last = before[before.length - 1] as Extract<Event, { type: 'evaluated' }>;
    expect(one).toEqual({ evals: last.evals, cost: last.total_s });
    expect(one.evals).toBe(2000);
    expect(one.cost).toBeLessThan(r.outcome.cost_s);
  });

  it('the most common returned cell is counted over the runs', () => {
    const outcomes = [1, 2, 3].map((seed) => (session.wholeRun({ algo: 'mf-nas', zc: 'synflow', budget_s: 20_000 } as never, seed) as WholeRun).outcome);
    const m = mostCommon(outcomes)!;
    expect(m.count).toBe(outcomes.filter((o) => o.arch === m.arch).length);
    expect(outcomes.every((o) => outcomes.filter((p) => p.arch === o.arch).length <= m.count)).toBe(true);
  });
});
