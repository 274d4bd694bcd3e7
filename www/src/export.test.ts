import { describe, expect, it } from 'vitest';
import { toCsv } from './export';

describe('CSV export', () => {
  it('quotes cells with commas and quotes, and leaves missing values empty', () => {
    expect(toCsv(['a', 'b'], [['x,y', null], ['say "hi"', 3]])).toBe('a,b\n"x,y",\n"say ""hi""",3\n');
  });
});
