// Bad input and failures give a clear message on the page, never a blank page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, ready } from './harness.mjs';

const h = useBrowser(import.meta.url);

test('an unknown URL parameter value gives a clear message, not a blank page', async () => {
  const page = await h.open('?dataset=mnist&algo=magic&seed=-3&colour=red');
  const text = await page.textContent('#messages');
  assert.match(text, /dataset=mnist is not one of/);
  assert.match(text, /algo=magic is not one of/);
  assert.match(text, /seed=-3: The seed must be a whole number from 0 to/);
  assert.match(text, /Unknown URL parameter "colour"/);
  await h.shot(page, 'error-url');
  await page.close();
});

test('a bad table file gives a clear message', async () => {
  const page = await h.ctx.newPage();
  await page.route('**/tables/manifest.json', (r) => r.fulfill({ contentType: 'application/json', body: JSON.stringify({ 'nb201-cifar10.mfnt': { bytes: 16, sha256: '00'.repeat(32) } }) }));
  await page.route('**/tables/nb201-cifar10.mfnt', (r) => r.fulfill({ contentType: 'application/octet-stream', body: Buffer.from('not a table at all') }));
  await page.goto(`${h.base}?dataset=cifar10`);
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /Could not load the table/);
  assert.equal(await page.$eval('#status', (el) => el.dataset.state), 'error');
  await h.shot(page, 'error-table');
  // The offered way out works.
  await page.click('.message.error button:has-text("synthetic")');
  await ready(page);
  await page.close();
});

test('a table file that is not on the server gives a clear message', async () => {
  const page = await h.ctx.newPage();
  await page.route('**/tables/manifest.json', (r) => r.fulfill({ contentType: 'application/json', body: '{}' }));
  await page.goto(`${h.base}?dataset=cifar100`);
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /is not on this server/);
  await page.close();
});

test('an engine panic is reported and the engine can be restarted', async () => {
  const page = await h.open('?dataset=synthetic&debug=panic');
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /engine stopped:[\s\S]*deliberate panic/);
  await h.shot(page, 'error-panic');
  await page.click('.message.error button:has-text("Restart")');
  await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'ready', null, { timeout: 30_000 });
  await page.close();
});

test('a worker whose engine cannot start gives a clear message', async () => {
  const page = await h.ctx.newPage();
  await page.route('**/*.wasm', (r) => r.fulfill({ status: 404, body: 'gone' }));
  await page.goto(`${h.base}?dataset=synthetic`);
  await page.waitForSelector('.message.error', { timeout: 30_000 });
  assert.match(await page.textContent('#messages'), /engine/i);
  await h.shot(page, 'error-worker');
  await page.close();
});
