import { preview } from 'vite';
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
const server = await preview({ root: process.cwd(), logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 }, build: { minify: false } });
const base = server.resolvedUrls.local[0];
const ctx = await chromium.launchPersistentContext(mkdtempSync('/tmp/pw-'), { executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1440, height: 1000 }, args: ['--headless','--no-sandbox'] });
const page = await ctx.newPage();
await page.goto(base + '?dataset=synthetic&seed=3&speed=500');
await page.waitForSelector('body[data-ready]');
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start');
await page.click('#play');
await page.waitForTimeout(700);
const { profile } = await cdp.send('Profiler.stop');
// inclusive time per function
const byId = new Map(profile.nodes.map(n => [n.id, n])); const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (let i = 0; i < profile.samples.length; i++) { const seen = new Set(); let id = profile.samples[i]; const dt = (profile.timeDeltas[i] ?? 0) / 1000; while (id !== undefined) { const n = byId.get(id); const k = n.callFrame.functionName + ':' + n.callFrame.lineNumber + ':' + n.callFrame.columnNumber; if (!seen.has(k)) { incl.set(k, (incl.get(k) ?? 0) + dt); seen.add(k); } id = parent.get(id); } }
console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, 45).map(([k, v]) => `${v.toFixed(0)}ms ${k}`).join('\n'));
await ctx.close(); await server.close();
