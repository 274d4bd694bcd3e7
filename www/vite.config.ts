import { defineConfig } from 'vitest/config';

// Relative base: the built folder deploys to any static host or sub-path.
export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500 },
  // The wasm package is built by wasm-pack into ../pkg.
  server: { fs: { allow: ['..'] } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});
