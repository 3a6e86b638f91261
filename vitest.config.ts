import { configDefaults, defineConfig } from 'vitest/config';

// npm test: the unit tests in Node. The browser tests (test/browser, real Chromium and
// bundler builds) run with npm run test:browser (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Stryker's sandbox copies of the tests are not ours to run
    exclude: [...configDefaults.exclude, 'test/browser/**', '.stryker-tmp/**', 'reports/**'],
    // the independent-reference, ulp-sweep and memory tests take seconds each; on a loaded
    // machine (mutation runs, shared CI) the 5 s default is too tight
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
