// StrykerJS over src/ with the vitest runner, less the threads code (stryker.threads.config.mjs):
// `npm run mutate` runs both and merges their scores (test/mutation/mutate-src.mjs); a few files:
//   npx stryker run --mutate src/measures/losses.ts,src/options.ts
// Incremental: only mutants whose code or covering tests changed are re-run. The state is
// committed (test/mutation/state/): a first run takes hours on 2 cores, longer than a working
// session on a machine that does not persist, so it is built a few files at a time across them.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // the unit suite less the 540-million-value memory test (vitest.stryker.config.ts)
  vitest: { configFile: 'vitest.stryker.config.ts' },
  mutate: ['src/**/*.ts', '!src/index.ts', '!src/types.ts',
    // worker-side code, scored by the threads configuration (no coverage is recorded in workers)
    '!src/threads/**', '!src/backend/wasm/spawn.ts', '!src/backend/wasm/worker.ts'],
  // the sandbox needs the WASM builds (git-ignored, so not copied)
  buildCommand: 'npm run build:wasm',
  coverageAnalysis: 'perTest',
  // 2 cores, shared: raise it on a bigger machine (STRYKER_CONCURRENCY=4 npm run mutate)
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  incremental: true,
  incrementalFile: 'test/mutation/state/main.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // added to timeoutFactor x the covering tests' own time. That time leaves out the test files'
  // setup, which a mutant's run pays too (loading WASM; threads.test.ts starts worker pools:
  // ~25 s), so a limit of 10 s turned equivalent mutants into "timeouts" (counted as detected).
  // Loops that do not end are mostly cut off by Stryker's hit counter long before this.
  timeoutMS: 45000,
  // the first run (the whole suite, with per-test coverage) takes ~10 min on 2 busy cores
  dryRunTimeoutMinutes: 40,
  // only TypeScript sources: the AssemblyScript files' decorators are not TypeScript Babel parses
  disableTypeChecks: '{src,test}/**/*.ts',
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
};
