import { defineConfig } from 'vitest/config';

// npm run test:browser: bundler test builds of the packed package, run in Debian's Chromium.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
