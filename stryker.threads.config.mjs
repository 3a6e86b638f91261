// StrykerJS over the threads code (`npm run mutate:threads`): the pool, the team, the split
// and the Async forms, and the worker side (worker.ts, the helpers' loop), which runs in
// worker threads. Stryker records coverage only in the test thread, so worker-side mutants
// would count as "no coverage" in `npm run mutate`; here coverage analysis is off and every
// mutant runs the tests that start workers (vitest.stryker-threads.config.ts), with the
// active mutant passed on to the workers (test/support/stryker-workers.ts). Its own
// incremental state and report, beside the main run's.
import base from './stryker.config.mjs';

export default {
  ...base,
  mutate: ['src/threads/**/*.ts', 'src/backend/wasm/spawn.ts', 'src/backend/wasm/worker.ts'],
  // worker.ts is loaded by the workers, not imported by a test: run every listed test file
  vitest: { configFile: 'vitest.stryker-threads.config.ts', related: false },
  coverageAnalysis: 'off',
  // a mutant that loses a worker's reply hangs its call: count it (a timeout is a detection) sooner
  timeoutMS: 15000,
  incrementalFile: 'test/mutation/state/threads.json',
  htmlReporter: { fileName: 'reports/mutation/threads.html' },
  jsonReporter: { fileName: 'reports/mutation/threads.json' },
};
