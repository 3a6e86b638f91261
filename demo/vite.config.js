// npm run demo: the demo and benchmark page, served on 127.0.0.1 with COOP/COEP headers
// (a cross-origin-isolated page, as WASM threads will need). It imports the package from
// src/ (the .wasm files sit next to src/backend/wasm/load.ts after npm run build:wasm).
import { fileURLToPath } from 'node:url';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default {
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { infokernel: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  server: { host: '127.0.0.1', port: 5173, headers: isolation },
  preview: { host: '127.0.0.1', port: 4173, headers: isolation },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
};
