import { defineConfig } from 'vitest/config';

/**
 * The contract suite alone (`npm run test:contract`): judges CONTRACT_BASE_URL, or our mock
 * started in-process. CONTRACT_JUNIT=path adds a JUnit report.
 */
const junit = process.env.CONTRACT_JUNIT;

export default defineConfig({
  test: {
    include: ['contract-tests/*.contract.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: junit ? ['default', 'junit'] : ['default'],
    ...(junit ? { outputFile: { junit } } : {}),
  },
});
