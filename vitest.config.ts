import { defineConfig } from 'vitest/config';

// npm test: the unit tests in Node. The browser tests (test/browser, real Chromium and
// bundler builds) run with npm run test:browser (vitest.browser.config.ts).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    // The memory test takes ~3.5 s on an idle 2-core machine: 5 s (the default) fails under load.
    testTimeout: 30_000,
  },
});
