import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseFidelity, parseUrl, runParams, toSearch } from './state';

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

  it('a negative or fractional seed is reported and the default used', () => {
    for (const bad of ['-1', '1.5', 'abc']) {
      const { state, problems } = parseUrl(`?seed=${bad}`);
      expect(state.seed).toBe(DEFAULTS.seed);
      expect(problems).toHaveLength(1);
    }
  });

  it('the largest seed the engine accepts (2^53 - 1) round-trips, one more is refused', () => {
    const ok = parseUrl('?seed=9007199254740991');
    expect(ok.problems).toEqual([]);
    expect(parseUrl(toSearch(ok.state)).state.seed).toBe(Number.MAX_SAFE_INTEGER);
    expect(parseUrl('?seed=9007199254740992').problems).toHaveLength(1);
  });

  it('an older link spelling val_test_acc reads as valtest_acc without a problem', () => {
    const { state, problems } = parseUrl('?stage2=val_test_acc');
    expect(problems).toEqual([]);
    expect(state.stage2).toBe('valtest_acc');
  });

  it('a malformed ladder is reported and the default ladder kept', () => {
    const { state, problems } = parseUrl('?ladder=12,foo');
    expect(state.ladder).toEqual([]);
    expect(problems[0]).toMatch(/ladder=12,foo/);
  });

  it('an unknown algorithm in the experiment list names the culprit', () => {
    const { problems } = parseUrl('?algos=rs,bogo');
    expect(problems[0]).toMatch(/bogo is not an algorithm/);
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
