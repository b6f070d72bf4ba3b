import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['*.check.ts'], globalSetup: './global-setup.ts', testTimeout: 60_000 },
});
