import { configDefaults, defineConfig } from 'vitest/config';

// The vitest config StrykerJS runs (stryker.config.mjs): the whole unit suite except the one
// memory test that streams a 540-million-value row (minutes per mutant, and it covers every
// mutant of the adapter). Everything else, including the other wide-row and ulp tests, runs.
//
// STRYKER_FAST=1 also leaves out the tests that take seconds each and exercise the kernels
// and the WASM adapter rather than src/measures and src/options (the log/exp sweeps, rows
// wider than a WASM chunk, batches crossing WASM chunks, the 50-call memory loop): a score
// measured so is a lower bound of the full suite's (fewer tests can only kill fewer mutants).
const fast = process.env.STRYKER_FAST === '1';
const slow = ['540 M values', ...(fast ? ['wide rows', 'wider than a WASM chunk', 'batches that cross WASM chunk', 'memory grows to the largest call', 'inputs larger than a chunk'] : [])];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/browser/**', '.stryker-tmp/**', 'reports/**',
      ...(fast ? ['test/ulp-sweep.test.ts', 'test/vmath.test.ts'] : [])],
    testNamePattern: new RegExp(`^(?!.*(${slow.map(escape).join('|')}))`),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
