import { defineConfig, type Plugin } from 'vitest/config';
import { existsSync, statSync, createReadStream } from 'node:fs';
import { join, extname, normalize } from 'node:path';

/** Content types of what dist/ holds (the preview server's own table lacks .mfnt). */
export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.mfnt': 'application/octet-stream',
  '.svg': 'image/svg+xml',
};

/**
 * `vite preview` as a static host should be: the gzip copies that scripts/compress.mjs wrote
 * are sent to browsers that accept gzip, and every file has its content type.
 */
function precompressed(): Plugin {
  return {
    name: 'mfnas-precompressed',
    configurePreviewServer(server) {
      const root = server.config.build.outDir.startsWith('/') ? server.config.build.outDir : join(server.config.root, server.config.build.outDir);
      const base = server.config.base === './' ? '/' : server.config.base;
      server.middlewares.use((req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
        if (!url.startsWith(base)) return next();
        const rel = normalize(url.slice(base.length) || 'index.html');
        if (rel.startsWith('..')) return next();
        const file = join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
        const type = CONTENT_TYPES[extname(file)];
        if (!type || !existsSync(file) || !statSync(file).isFile()) return next();
        const gz = `${file}.gz`;
        const useGz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && existsSync(gz);
        res.setHeader('Content-Type', type);
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader('Cache-Control', 'no-cache');
        if (useGz) res.setHeader('Content-Encoding', 'gzip');
        res.setHeader('Content-Length', String(statSync(useGz ? gz : file).size));
        if (req.method === 'HEAD') return res.end();
        createReadStream(useGz ? gz : file).pipe(res);
      });
    },
  };
}

// Relative base: the built folder deploys to any static host or sub-path.
export default defineConfig({
  base: './',
  plugins: [precompressed()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  // The wasm package is built by wasm-pack into ../pkg.
  server: { fs: { allow: ['..'] } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
