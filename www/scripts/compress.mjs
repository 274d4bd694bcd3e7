// Writes a gzip copy (`name.gz`) beside every compressible file of dist/, for static hosts that
// serve precompressed files (nginx `gzip_static on`, Caddy `precompressed gzip`, and our own
// preview server: see vite.config.ts). Files that gzip cannot shrink by 5% get none: the packed
// tables are already deflate-compressed column by column, so they are sent as they are.
import { gzipSync, constants } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const COMPRESSIBLE = /\.(js|mjs|css|html|json|wasm|svg|mfnt|txt)$/;
let raw = 0;
let packed = 0;
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (COMPRESSIBLE.test(name)) {
      const bytes = readFileSync(path);
      const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
      if (gz.length <= bytes.length * 0.95) {
        writeFileSync(`${path}.gz`, gz);
        raw += bytes.length;
        packed += gz.length;
      } else if (existsSync(`${path}.gz`)) unlinkSync(`${path}.gz`);
    }
  }
};
walk(dist);
console.log(`compress: ${(raw / 1024).toFixed(0)} KB -> ${(packed / 1024).toFixed(0)} KB gzip copies in ${dist}`);
