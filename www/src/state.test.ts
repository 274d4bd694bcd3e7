import { describe, expect, it } from 'vitest';
import { DEFAULTS, FIELDS, parseFidelity, parseUrl, playedRunParams, runParams, toSearch } from './state';

describe('URL state', () => {
  it('an empty query gives the defaults and no problems', () => {
    const { state, problems } = parseUrl('');
    expect(state).toEqual(DEFAULTS);
    expect(problems).toEqual([]);
  });

  it('the defaults serialise to an empty query', () => {
    expect(toSearch({ ...DEFAULTS })).toBe('');
  });

  it('every setting, the seed included, survives a round trip through the URL', () => {
    const search =
      '?dataset=cifar100&algo=sh&zc=nwot&budget=12345&seed=7&ladder=12%40hp12%2C200&keep=8&stage1=rs&m=500&k=16&stage2=train_loss&speed=max&x=evals&view=landscape&metric=val_acc%40200&kind=cmlon&runs=50&algos=rs%2Cmf-nas&arch=42&present=1';
    const { state, problems } = parseUrl(search);
    expect(problems).toEqual([]);
    expect(parseUrl(toSearch(state)).state).toEqual(state);
    expect(state.seed).toBe(7);
  });

  it('an unknown dataset is reported and replaced by the default', () => {
    const { state, problems } = parseUrl('?dataset=mnist');
    expect(state.dataset).toBe('cifar10');
    expect(problems[0]).toMatch(/dataset=mnist is not one of/);
  });

  it('an unknown parameter name is reported', () => {
    expect(parseUrl('?colour=red').problems).toEqual(['Unknown URL parameter "colour" was ignored.']);
  });

  it('a negative, fractional or too large seed is reported in words and the default used', () => {
    for (const bad of ['-1', '1.5', 'abc', '9007199254740992']) {
      const { state, problems } = parseUrl(`?seed=${bad}`);
      expect(state.seed).toBe(DEFAULTS.seed);
      expect(problems).toEqual([`seed=${bad}: The seed must be a whole number from 0 to 9,007,199,254,740,991; using seed 1.`]);
    }
  });

  it('every seed the engine takes (0 ..= 2^53 - 1) round-trips through the URL', () => {
    for (const seed of [0, 2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER]) {
      const { state, problems } = parseUrl(toSearch({ ...DEFAULTS, seed }));
      expect(problems).toEqual([]);
      expect(state.seed).toBe(seed);
    }
  });

  it('an older link spelling val_test_acc reads as valtest_acc without a problem', () => {
    const { state, problems } = parseUrl('?stage2=val_test_acc');
    expect(problems).toEqual([]);
    expect(state.stage2).toBe('valtest_acc');
  });

  it('URL keys of registered views are kept as text and written back', () => {
    const { state, problems } = parseUrl('?step=12', { viewParams: ['step'] });
    expect(problems).toEqual([]);
    expect(state.extra).toEqual({ step: '12' });
    expect(toSearch(state)).toBe('?step=12');
  });

  it('a view that is not registered is reported', () => {
    expect(parseUrl('?view=nope', { views: ['run'] }).problems[0]).toMatch(/view=nope is not one of run/);
  });

  it('a malformed ladder is reported and the default ladder kept', () => {
    const { state, problems } = parseUrl('?ladder=12,foo');
    expect(state.ladder).toEqual([]);
    expect(problems[0]).toMatch(/ladder=12,foo: The ladder is a list of fidelities .* "foo" is neither/);
  });

  it('an unknown algorithm in the experiment list names the culprit', () => {
    const { problems } = parseUrl('?algos=rs,bogo');
    expect(problems[0]).toMatch(/bogo is not an algorithm/);
  });
});

describe('text fields', () => {
  it('each bad text says in words what the field expects', () => {
    const bad = { seed: '-3', budget: '0', m: 'x', k: '0', runs: '0', ladder: 'banana', keep: '4,0' } as const;
    for (const [field, text] of Object.entries(bad)) {
      const r = FIELDS[field as keyof typeof FIELDS](text);
      expect(r.ok, field).toBe(false);
      expect(!r.ok && r.expects, field).toMatch(/must be|is a list|are whole numbers/);
    }
  });
  it('an empty optional field means the default', () => {
    expect(FIELDS.budget('')).toEqual({ ok: true, value: null });
    expect(FIELDS.ladder('')).toEqual({ ok: true, value: [] });
  });
});

describe('fidelity labels', () => {
  it('bare epochs mean the 200-epoch schedule', () => {
    expect(parseFidelity('25')).toEqual({ epochs: 25, schedule: 'hp200' });
  });
  it('a schedule name means its full length', () => {
    expect(parseFidelity('hp12')).toEqual({ epochs: 12, schedule: 'hp12' });
  });
  it('epochs@schedule is read as written', () => {
    expect(parseFidelity('12@hp12')).toEqual({ epochs: 12, schedule: 'hp12' });
  });
  it('anything else is refused', () => {
    expect(parseFidelity('twelve')).toBeNull();
  });
});

describe('run parameters', () => {
  it('MF-NAS carries its proxy, stage 1 and ladder', () => {
    const { state } = parseUrl('?zc=params&ladder=12@hp12,200&keep=4&m=100');
    expect(runParams(state)).toEqual({
      algo: 'mf-nas',
      zc: 'params',
      stage1: 'fls',
      stage1_evals: 100,
      ladder: [
        { epochs: 12, schedule: 'hp12' },
        { epochs: 200, schedule: 'hp200' },
      ],
      keep: [4],
    });
  });
  it('random search carries no MF-NAS settings', () => {
    const { state } = parseUrl('?algo=rs&budget=500');
    expect(runParams(state)).toEqual({ algo: 'rs', budget_s: 500 });
  });
  it('FreeREA keeps its own budget', () => {
    expect(runParams({ ...DEFAULTS, budget: 100 }, 'free-rea')).toEqual({ algo: 'free-rea' });
  });
});

describe('the start cell of local search', () => {
  it('start= is a cell index kept in the URL; anything else is reported and dropped', () => {
    const { state, problems } = parseUrl('?algo=ls&start=1234');
    expect(problems).toEqual([]);
    expect(state.start).toBe(1234);
    expect(toSearch(state)).toContain('start=1234');
    const bad = parseUrl('?start=|none~0|');
    expect(bad.state.start).toBeNull();
    expect(bad.problems.join(' ')).toMatch(/start=.*random cell/);
  });

  it('the played run starts there only where local search starts a run; experiments never', () => {
    const s = { ...DEFAULTS, start: 42 };
    expect(playedRunParams({ ...s, algo: 'ls' }).start).toBe('#42');
    expect(playedRunParams({ ...s, algo: 'bls' }).start).toBe('#42');
    expect(playedRunParams({ ...s, algo: 'mf-nas', stage1: 'fls' }).start).toBe('#42');
    expect(playedRunParams({ ...s, algo: 'mf-nas', stage1: 'rs' }).start).toBeUndefined();
    expect(playedRunParams({ ...s, algo: 'rea' }).start).toBeUndefined();
    expect(runParams({ ...s, algo: 'ls' }).start).toBeUndefined();
  });
});

describe('the fidelity grammar', () => {
  it('parses every shared case as the engine does (tests/data/fidelity_labels.json)', async () => {
    const { readFileSync } = await import('node:fs');
    const cases: { text: string; epochs?: number; schedule?: string; error?: boolean }[] = JSON.parse(
      readFileSync(new URL('../../tests/data/fidelity_labels.json', import.meta.url), 'utf8'),
    );
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) expect([c.text, parseFidelity(c.text)]).toEqual([c.text, c.error ? null : { epochs: c.epochs, schedule: c.schedule }]);
  });
});
