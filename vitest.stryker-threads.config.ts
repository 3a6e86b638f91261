import base from './vitest.stryker.config.js';

// The tests that start worker threads or decide whether to (stryker.threads.config.mjs):
// every mutant of the threads code runs these, the file that failed last first, with no
// coverage reported (test/support/stryker-all-tests.ts).
export default {
  ...base,
  test: {
    ...base.test,
    include: ['test/threads.test.ts', 'test/loading.test.ts', 'test/batch.test.ts', 'test/batch-unshared.test.ts', 'test/backend.test.ts', 'test/messages.test.ts', 'test/control.test.ts', 'test/team.test.ts', 'test/pool.test.ts', 'test/spawn.test.ts', 'test/worker.test.ts'],
    setupFiles: [...(base.test?.setupFiles as string[]), 'test/support/stryker-all-tests.ts'],
  },
};
