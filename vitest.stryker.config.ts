import { configDefaults, defineConfig } from 'vitest/config';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

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

// Each mutant runs the files of the tests that cover it, one file after another, and stops at
// the first failure. vitest's default order is slowest first; here the files that failed last
// (they killed the previous mutant) come first, then the fastest, so a mutant a quick file
// kills does not wait for independent.test.ts and threads.test.ts to finish.
class FastFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const rank = (f: TestSpecification) => {
      const key = `${f.project.name}:${relative(config.root, f.moduleId)}`;
      const last = cache.getFileTestResults(key);
      return last ? [last.failed ? 0 : 1, last.duration] : [1, 0]; // not run yet: first, as vitest does
    };
    return [...files].sort((a, b) => {
      const [fa, da] = rank(a), [fb, db] = rank(b);
      return fa - fb || da - db;
    });
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/browser/**', '.stryker-tmp/**', 'reports/**',
      // the type tests run tsc on declarations, and the marks test reads src/ (instrumented in
      // Stryker's sandbox) with Stryker's instrumenter: no runtime mutant can change their outcome
      'test/types.test.ts', 'test/mutation-marks.test.ts',
      ...(fast ? ['test/ulp-sweep.test.ts', 'test/vmath.test.ts'] : [])],
    sequence: { sequencer: FastFirst },
    // the active mutant, passed on to the pool's worker threads
    setupFiles: ['test/support/stryker-workers.ts'],
    testNamePattern: new RegExp(`^(?!.*(${slow.map(escape).join('|')}))`),
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
