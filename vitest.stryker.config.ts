import { configDefaults, defineConfig } from 'vitest/config';

// The vitest config StrykerJS runs (stryker.config.mjs): the whole unit suite except the one
// memory test that streams a 540-million-value row (minutes per mutant, and it covers every
// mutant of the adapter). Everything else, including the other wide-row and ulp tests, runs.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/browser/**', '.stryker-tmp/**', 'reports/**'],
    testNamePattern: /^(?!.*one row of 540 M values)/,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
