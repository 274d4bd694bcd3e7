// The paper panel's URL state and coverage notes, and the paper report computed by the worker's
// engine with the real wasm session (built by wasm-pack into ../pkg), in Node.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initSync, Session } from '../../../pkg/mfnas.js';
import type { Response } from '../worker/protocol';
import { harness, until } from '../worker/testing';
import type { PaperPage, ReportProgress } from '../types';
import { DEFAULT_RUNS, SECTIONS, parseRuns, parseSections } from './paper';
import { renderCoverage, showCoverage } from './coverage';
import type { EngineClient } from '../worker/client';

beforeAll(() => {
  initSync({ module: readFileSync(new URL('../../../pkg/mfnas_bg.wasm', import.meta.url)) });
});

describe('the paper panel’s URL state', () => {
  it('no sections in the URL means every section, in report order', () => {
    expect(parseSections(null)).toEqual(SECTIONS.map(([s]) => s));
    expect(parseSections('  ')).toEqual(SECTIONS.map(([s]) => s));
  });

  it('named sections come back in report order and unknown names are dropped', () => {
    expect(parseSections('table6, table2,nope')).toEqual(['table2', 'table6']);
    expect(parseSections('nope')).toEqual([]);
  });

  it('the seeds default to the paper’s 500 and must be a whole number in range', () => {
    expect(parseRuns(null)).toEqual({ runs: DEFAULT_RUNS });
    expect(parseRuns('20')).toEqual({ runs: 20 });
    for (const bad of ['0', '-3', '2.5', 'ten', '10001']) expect(parseRuns(bad), bad).toHaveProperty('error');
  });
});

describe('coverage notes', () => {
  const fake = () => ({ hidden: false, innerHTML: 'stale' }) as unknown as HTMLElement;

  it('no notes hide the box and leave it empty', () => {
    const el = fake();
    renderCoverage(el, []);
    expect(el.hidden).toBe(true);
    expect(el.innerHTML).toBe('');
  });

  it('when two askings overlap, the box shows the later one, whichever answer comes last', async () => {
    const el = fake();
    const answers: ((notes: string[]) => void)[] = [];
    const client = { request: () => new Promise<string[]>((resolve) => answers.push(resolve)) } as unknown as EngineClient;
    const older = showCoverage(client, [{ algo: 'ls' }] as never, el);
    const newer = showCoverage(client, [{ algo: 'ls' }] as never, el);
    answers[1]([]);
    await newer;
    answers[0](['zc:synflow scores 9,445 of 15,625 architectures']);
    await older;
    expect(el.hidden).toBe(true);
    expect(el.innerHTML).toBe('');
  });

  it('each note is one escaped list item', () => {
    const el = fake();
    renderCoverage(el, ['zc:synflow scores 725 of 15,625 cells', '<b>x</b>']);
    expect(el.hidden).toBe(false);
    expect(el.innerHTML.match(/<li>/g)).toHaveLength(2);
    expect(el.innerHTML).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});

describe('the paper report in the worker', () => {
  const request = { sections: ['table2', 'table6'], runs: 3, seed_start: 1 } as const;

  it('streams progress to the end and delivers the report the session computes in one go', async () => {
    const { out, send } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'paperStart', request: { ...request, sections: [...request.sections] } });
    await until(() => out.some((m) => m.type === 'paperDone'), 60_000);
    const done = out.find((m) => m.type === 'paperDone') as Extract<Response, { type: 'paperDone' }>;
    const progress = out.filter((m) => m.type === 'progress' && m.task === 'paper') as { done: number; total: number }[];
    expect(progress.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);

    const direct = new Session();
    direct.loadSyntheticTable(3);
    const first = direct.paperStart({ ...request, sections: [...request.sections] }) as ReportProgress;
    expect(progress.at(-1)?.total).toBe(first.total);
    while (!(direct.paperStep(1_000_000) as ReportProgress).finished);
    const page = direct.paperResult() as PaperPage;
    expect(done.page.report).toEqual(page.report);
    expect(done.page.markdown).toBe(page.markdown);
    expect(done.page.html).toContain('Table 6');
    expect(done.page.page.startsWith('<!doctype html>')).toBe(true);
  });

  it('a cancelled report never arrives', async () => {
    const { out, send } = harness();
    await send({ type: 'loadTable', source: { kind: 'synthetic', seed: 3 } });
    await send({ type: 'paperStart', request: { sections: ['table6'], runs: 200, seed_start: 1 } });
    const [cancelled] = await send({ type: 'paperCancel' });
    expect(cancelled.type).toBe('reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(out.some((m) => m.type === 'paperDone')).toBe(false);
  });
});
