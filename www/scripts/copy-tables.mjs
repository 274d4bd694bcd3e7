// Copies the packed tables (../tables/*.mfnt, made by `mfnas pack`) into public/tables/ and
// writes public/tables/manifest.json with each file's size and SHA-256, which the page checks
// after download. Tables are never committed; a missing folder gives an empty manifest and
// the page says which table is missing.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const src = process.env.MFNAS_TABLES ?? join(here, '..', '..', 'tables');
const dst = join(here, '..', 'public', 'tables');
mkdirSync(dst, { recursive: true });
const files = existsSync(src) ? readdirSync(src).filter((f) => f.endsWith('.mfnt')).sort() : [];
const manifest = {};
for (const f of files) {
  const bytes = readFileSync(join(src, f));
  copyFileSync(join(src, f), join(dst, f));
  manifest[f] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
writeFileSync(join(dst, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(files.length ? `tables: copied ${files.join(', ')}` : `tables: none found in ${src} (run mfnas pack)`);
