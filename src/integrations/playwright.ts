import { test as base } from '@playwright/test';
import { connectMock, type MockClient } from '../client/connect-mock.js';
import { startServer, type ServerOptions } from '../server.js';
import { MOCK_ADMIN_TOKEN_ENV, MOCK_URL_ENV } from './test-runner.js';

export interface MockTestFixtures {
  /** This test's session of the mock: `mock.setControls(...)`, `mock.reset(...)`; the page's requests to the mock land in it. */
  mock: MockClient;
}

export interface MockWorkerFixtures {
  /** Options of the mock each worker starts (`test.use({ mockOptions: { seed: 7 } })`). */
  mockOptions: ServerOptions;
  /** The worker's mock (the default store); one started by globalSetup when CEDANA_MOCK_URL is set. */
  mockServer: MockClient;
}

/**
 * Playwright's `test` with the mock: started once per worker, each test in a fresh session whose
 * `X-Mock-Session` header the browser adds to every request it sends to the mock.
 */
export const test = base.extend<MockTestFixtures, MockWorkerFixtures>({
  mockOptions: [{}, { scope: 'worker', option: true }],
  mockServer: [
    async ({ mockOptions }, use) => {
      const shared = process.env[MOCK_URL_ENV];
      if (shared) return use(connectMock(shared, { adminToken: process.env[MOCK_ADMIN_TOKEN_ENV] }));
      const server = await startServer(mockOptions);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  mock: async ({ mockServer, context }, use, testInfo) => {
    const session = mockServer.session(`pw-${testInfo.workerIndex}-${testInfo.testId}`.slice(0, 64));
    // Added by the browser's network layer, after CORS: the page's code needs no change.
    await context.route(
      (url) => url.href.startsWith(`${mockServer.url}/`),
      (route) => route.continue({ headers: { ...route.request().headers(), ...lowerCased(session.headers) } }),
    );
    await use(session);
    await session.close();
  },
});

export { expect } from '@playwright/test';

function lowerCased(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
