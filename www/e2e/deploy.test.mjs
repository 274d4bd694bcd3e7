// Static hosting for real: dist/ served by nginx (not Vite) from a sub-path, with the config
// in deploy/nginx.conf. The page loads, runs, sends JavaScript and wasm gzip-compressed and
// every file with its right type, and asks for nothing outside its sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { useBrowser, ready, playToEnd, haveTable, www, fixtureOutcome } from './harness.mjs';

const h = useBrowser(import.meta.url, { serve: 'none' });
const SUB = '/teaching/mfnas/';
let nginx;
let tmp;
let base;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

before(async () => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('nginx is not installed: `apt-get install -y nginx-light` (scripts/test-web.sh installs it); the static-hosting test cannot run without it');
  }
  tmp = mkdtempSync(join(tmpdir(), 'mfnas-nginx-'));
  const port = await freePort();
  const conf = readFileSync(join(www, 'deploy', 'nginx.conf'), 'utf8').replaceAll('@PORT@', String(port)).replaceAll('@DIST@', join(www, 'dist')).replaceAll('@TMP@', tmp);
  writeFileSync(join(tmp, 'nginx.conf'), conf);
  // As root, nginx's workers run as nobody: dist/ must be readable by others (it is, from a clone).
  nginx = spawn('nginx', ['-c', join(tmp, 'nginx.conf'), '-p', tmp, '-e', 'stderr'], { stdio: ['ignore', 'inherit', 'inherit'] });
  base = `http://127.0.0.1:${port}${SUB}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx did not serve ${base}`);
});

after(() => {
  nginx?.kill('SIGTERM');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('dist/ served by nginx from a sub-path loads, runs, and is sent compressed with the right types', async () => {
  const dataset = haveTable() ? 'cifar10' : 'synthetic';
  const responses = [];
  const seen = (r) => responses.push({ url: r.url(), status: r.status(), headers: r.headers() });
  h.ctx.on('response', seen);
  const page = await h.open(`?dataset=${dataset}&seed=7&speed=max`, { base });
  await ready(page);
  const shown = await playToEnd(page);
  if (dataset === 'synthetic') assert.equal(shown.archString, fixtureOutcome().arch_string);
  await h.shot(page, 'deploy-subpath');
  h.ctx.off('response', seen);
  const origin = new URL(base).origin;
  const ours = responses.filter((r) => r.url.startsWith(origin));
  for (const r of ours) assert.ok(new URL(r.url).pathname.startsWith(SUB), `${r.url} is outside ${SUB}`);
  for (const r of ours) assert.ok(r.status < 400, `${r.url}: HTTP ${r.status}`);
  const of = (re) => ours.filter((r) => re.test(new URL(r.url).pathname));
  const check = (re, type, gzip) => {
    const list = of(re);
    assert.ok(list.length > 0, `no request matched ${re}`);
    for (const r of list) {
      assert.match(r.headers['content-type'] ?? '', type, `${r.url}: Content-Type ${r.headers['content-type']}`);
      if (gzip) assert.equal(r.headers['content-encoding'], 'gzip', `${r.url} is not sent compressed`);
    }
  };
  check(/\.js$/, /javascript/, true);
  check(/\.wasm$/, /^application\/wasm/, true);
  check(/\/$|\.html$/, /^text\/html/, true);
  check(/manifest\.json$/, /^application\/json/, false);
  if (dataset !== 'synthetic') check(/\.mfnt$/, /^application\/octet-stream/, false);
  h.record('deploy', { requests: ours.length, subPath: SUB, gzip: of(/\.(js|wasm)$/).length });
  assert.deepEqual(page.errors, []);
  await page.close();
});
