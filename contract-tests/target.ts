export interface Target {
  baseUrl: string;
  close(): Promise<void>;
}

interface MockModule {
  startServer(options?: { seed?: number; host?: string; port?: number; auth?: unknown }): Promise<{ url: string; close(): Promise<void> }>;
}

/**
 * The target to judge: the base URL given, or (only when asked) our mock started in-process on a
 * free loopback port. The only place the suite touches src/, through a dynamic import so that the
 * suite needs nothing from src/ when a base URL is given.
 */
export async function resolveTarget(settings: { baseUrl?: string | undefined; token: string; expectAuth: boolean }): Promise<Target> {
  if (settings.baseUrl) return { baseUrl: settings.baseUrl, close: async () => {} };
  const modulePath = '../src/index.js';
  const mock = (await import(modulePath)) as MockModule;
  // With auth expected, the mock must accept only the suite's token, or "a wrong token" is accepted.
  const server = await mock.startServer({
    host: '127.0.0.1',
    port: 0,
    ...(settings.expectAuth ? { auth: { token: settings.token } } : {}),
  });
  return { baseUrl: server.url, close: () => server.close() };
}
