import { http, type HttpHandler } from 'msw';
import { startInProcess, type InProcessMock, type InProcessOptions } from './in-process-mock.js';

export { startInProcess, type InProcessMock, type InProcessOptions } from './in-process-mock.js';

export interface MswMock extends InProcessMock {
  /** For msw's `setupServer(...handlers)`: every request under `url`, API and `/__admin`. */
  handlers: HttpHandler[];
}

/**
 * msw request handlers answered by the mock's own app in this process (Node: vitest with jsdom or
 * happy-dom, Jest, scripts): the same validation, store, sessions and controls as the server,
 * with no port. `X-Mock-Session` sent by the app picks the session, as over HTTP.
 */
export async function createMswMock(options: InProcessOptions = {}): Promise<MswMock> {
  const mock = await startInProcess(options);
  return { ...mock, handlers: [http.all(`${mock.url}/*`, ({ request }) => mock.fetch(request))] };
}
