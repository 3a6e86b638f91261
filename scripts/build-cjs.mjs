// The CommonJS entry (dist/cjs/index.js) for require(): one esbuild bundle of src/index.ts.
// import.meta.url does not exist in CJS, so it is defined as the file URL of
// dist/backend/wasm/load.js, computed from __dirname: the loader's
// new URL('./infokernel.simd.wasm', import.meta.url) then finds the same .wasm files the
// ESM build uses (one copy in the package). Types: dist/cjs/index.d.cts re-exports the
// ESM declarations copied beside it, read as CommonJS there (dist/cjs/package.json).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

mkdirSync('dist/cjs', { recursive: true });
await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/cjs/index.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: true,
  define: { 'import.meta.url': '__infokernelLoaderUrl' },
  banner: {
    js: "const __infokernelLoaderUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', 'backend', 'wasm', 'load.js')).href;",
  },
  logLevel: 'warning',
});
writeFileSync('dist/cjs/package.json', '{ "type": "commonjs" }\n');
for (const file of readdirSync('dist', { recursive: true, encoding: 'utf8' })) {
  if (!file.endsWith('.d.ts') || file.startsWith('cjs')) continue;
  mkdirSync(dirname(join('dist/cjs', file)), { recursive: true });
  copyFileSync(join('dist', file), join('dist/cjs', file));
}
