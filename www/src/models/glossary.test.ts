// Every glossary key the page uses (data-term attributes in the HTML and in the views) has an
// entry of its own, so no label shows a made-up explanation.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TERMS, lookup, optionTerm } from './glossary';

const src = new URL('..', import.meta.url);
const files = [new URL('../index.html', src), ...['views', 'mounts'].flatMap((d) => readdirSync(new URL(d, src)).map((f) => new URL(`${d}/${f}`, src)))];

describe('glossary', () => {
  it('every data-term key written in the page has its own entry', () => {
    const keys = new Set<string>();
    for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/data-term[=:]\s*["']([^"'$]+)["']/g)) keys.add(m[1]);
    expect(keys.size).toBeGreaterThan(30);
    const missing = [...keys].filter((k) => !(k in TERMS));
    expect(missing).toEqual([]);
  });

  it('every option of the settings menus has an entry', () => {
    const html = readFileSync(new URL('../index.html', src), 'utf8');
    for (const [, name, body] of html.matchAll(/<select name="(\w+)"[^>]*>(.*?)<\/select>/g)) {
      for (const [, value] of body.matchAll(/value="([^"]+)"/g)) expect(optionTerm(name, value), `${name}=${value}`).not.toBeNull();
    }
    for (const a of ['rs', 'ls', 'bls', 'sh', 'rea', 'rea-w', 'free-rea', 'mf-nas']) expect(optionTerm('algo', a)).not.toBeNull();
  });

  it('a metric name nobody wrote an entry for still reads as words', () => {
    expect(lookup('val_loss@200').plain).toBe('validation loss after 200 epochs');
    expect(lookup('zc:epe_nas').text).toMatch(/EPE-NAS/);
  });
});
