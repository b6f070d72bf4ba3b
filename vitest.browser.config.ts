import { defineConfig } from 'vitest/config';

// The browser tier (`npm run test:browser`): Swagger UI at /docs in headless Chromium (Debian's
// `chromium`, or CHROMIUM_PATH), driven by playwright-core against the mock in-process.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    // A cold Chromium start plus parsing Swagger UI's 1.5 MB bundle takes seconds on a slow runner.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One browser at a time.
    fileParallelism: false,
  },
});
