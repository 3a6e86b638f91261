// Puts the three WASM builds (SIMD, scalar, and SIMD over shared memory for threads) next to the module that loads them (src/backend/wasm/load.ts
// and, when it exists, dist/backend/wasm/load.js), so `new URL('./infokernel.simd.wasm',
// import.meta.url)` finds them when run from source (tsx, vitest) and from the package.
// asc writes build/ (with the .wat listings); the copies in src/ are git-ignored.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const targets = ['src/backend/wasm'];
if (process.argv.includes('--dist')) targets.push('dist/backend/wasm');
for (const dir of targets) {
  mkdirSync(dir, { recursive: true });
  for (const build of ['simd', 'scalar', 'threads']) {
    const from = `build/infokernel.${build}.wasm`;
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm run build:wasm`);
    copyFileSync(from, `${dir}/infokernel.${build}.wasm`);
  }
}
