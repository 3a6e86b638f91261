import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // the independent-reference and ulp-sweep tests take seconds each; on a loaded
    // machine (mutation runs, shared CI) the 5 s default is too tight
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Stryker's sandbox copies of the tests are not ours to run
    exclude: [...configDefaults.exclude, '.stryker-tmp/**', 'reports/**'],
  },
});
