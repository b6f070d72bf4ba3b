import { connectMock, type MockClient } from '../client/connect-mock.js';
import { startServer, type RunningServer, type ServerOptions } from '../server.js';

/** Where globalSetup publishes the mock for the test workers (they inherit the environment). */
export const MOCK_URL_ENV = 'CEDANA_MOCK_URL';
export const MOCK_ADMIN_TOKEN_ENV = 'CEDANA_MOCK_ADMIN_TOKEN';

const RUNNING = Symbol.for('cedana-policy-mock.global-server');
type WithServer = typeof globalThis & { [RUNNING]?: RunningServer };

/**
 * A `globalSetup` that starts the mock once for the whole run and publishes its URL in
 * CEDANA_MOCK_URL. vitest: `export default mockGlobalSetup({ seed: 7 })` (the teardown it returns
 * stops the mock); Jest: the same, with `mockGlobalTeardown` as globalTeardown.
 */
export function mockGlobalSetup(options: ServerOptions = {}): () => Promise<() => Promise<void>> {
  return async () => {
    const server = await startServer(options);
    (globalThis as WithServer)[RUNNING] = server;
    process.env[MOCK_URL_ENV] = server.url;
    if (options.adminToken !== undefined) process.env[MOCK_ADMIN_TOKEN_ENV] = options.adminToken;
    return mockGlobalTeardown;
  };
}

/** Stops the mock `mockGlobalSetup` started (Jest's globalTeardown; vitest calls it itself). */
export async function mockGlobalTeardown(): Promise<void> {
  const server = (globalThis as WithServer)[RUNNING];
  delete (globalThis as WithServer)[RUNNING];
  await server?.close();
}

/**
 * Per test: the admin client of the globalSetup's mock in a fresh session (a unique name unless
 * given); send `session.headers` from the app, `await session.close()` after the test.
 */
export function mockSession(name?: string): MockClient {
  const url = process.env[MOCK_URL_ENV];
  if (!url) throw new Error(`${MOCK_URL_ENV} is not set: add mockGlobalSetup() as the runner's globalSetup`);
  return connectMock(url, { adminToken: process.env[MOCK_ADMIN_TOKEN_ENV] }).session(name);
}
