import { defineConfig } from 'vitest/config';

/**
 * The contract suite alone (`npm run test:contract`): judges CONTRACT_BASE_URL, or our mock
 * started in-process. CONTRACT_JUNIT=path adds a JUnit report: the suite's own, written in the
 * global set-up, the same as the CLI's and the library's (not vitest's junit reporter).
 */
export default defineConfig({
  test: {
    include: ['contract-tests/*.contract.test.ts'],
    // Runs the suite once; a set-up problem exits 2 from there (a failing rule is vitest's 1).
    globalSetup: ['contract-tests/vitest-global-setup.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
