import { configDefaults, defineConfig } from 'vitest/config';

// Unit and in-process integration tests of the mock, and the contract suite's self-tests.
// The contract suite itself has its own tier: vitest.contract.config.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'contract-tests/self-test/**/*.test.ts'],
    // The browser tier needs Chromium: vitest.browser.config.ts, `npm run test:browser`.
    exclude: [...configDefaults.exclude, 'test/browser/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
