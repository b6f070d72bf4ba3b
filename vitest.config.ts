import { configDefaults, defineConfig } from 'vitest/config';

// Test tiers, each a vitest project (`vitest run --project NAME`):
// - fast (and fast-isolated, for files that vi.mock a module): in-process unit and HTTP tests
//   (supertest on the app, or a free port); `npm run test:fast` runs only these.
// - process: tests that start real processes (`*.process.test.ts`): the CLI, crashes, signals, soak.
// - package: the packed package installed as a user installs it, on the Node running the tests.
// - contract-self: the contract suite judged against reference servers, correct and faulty.
// The contract suite itself (vitest.contract.config.ts) and the browser tier
// (vitest.browser.config.ts) have configs of their own.
const shared = { testTimeout: 20_000, hookTimeout: 30_000 };
const slowTiers = ['test/**/*.isolated.test.ts', 'test/**/*.process.test.ts', 'test/package/**', 'test/browser/**', 'test/contract/**'];

export default defineConfig({
  test: {
    // Every core (vitest's default leaves one free: on a 2-core machine, one worker). The process
    // tier's tests hold their properties under CPU load, which this also gives them.
    maxWorkers: '100%',
    projects: [
      {
        // One module graph per worker, shared by its files: importing the app (express, the
        // validator, the spec) once instead of per file halves the tier's CPU time.
        test: {
          ...shared,
          name: 'fast',
          isolate: false,
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...slowTiers],
        },
      },
      // vi.mock of a module others import needs a module graph of its own: `*.isolated.test.ts`.
      { test: { ...shared, name: 'fast-isolated', include: ['test/**/*.isolated.test.ts'] } },
      { test: { ...shared, name: 'process', include: ['test/**/*.process.test.ts'] } },
      { test: { ...shared, name: 'package', include: ['test/package/**/*.test.ts'] } },
      {
        test: {
          ...shared,
          name: 'contract-self',
          include: ['contract-tests/self-test/**/*.test.ts', 'test/contract/**/*.test.ts'],
        },
      },
    ],
  },
});
