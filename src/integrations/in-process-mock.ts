import type { Express } from 'express';
import { createApp, mockLocals, type AppOptions } from '../app.js';
import { connectMock, type MockClient } from '../client/connect-mock.js';
import type { Store } from '../store/store.js';
import { inProcessFetch } from './in-process-fetch.js';

export interface InProcessOptions extends AppOptions {
  /** The URL the app under test calls (default http://localhost:4010, the CLI's address). */
  baseUrl?: string;
}

/** The mock in this process, with no port: a fetch that answers from it, and its admin client. */
export interface InProcessMock {
  url: string;
  /** Answers a request from the mock's app, as the server would (msw's handlers call this). */
  fetch(request: Request): Promise<Response>;
  /** The typed admin client, calling the app directly. */
  client: MockClient;
  app: Express;
  store: Store;
  close(): Promise<void>;
}

export async function startInProcess(options: InProcessOptions = {}): Promise<InProcessMock> {
  const url = (options.baseUrl ?? 'http://localhost:4010').replace(/\/+$/, '');
  // The Host the app is called with is the base URL's: let the host guard know it.
  const host = new URL(url).hostname;
  const app = await createApp({ ...options, allowedHosts: [...(options.allowedHosts ?? []), host] });
  const { store, simulation } = mockLocals(app);
  const answer = inProcessFetch(app);
  const client = connectMock(url, { adminToken: options.adminToken, fetch: (input, init) => answer(new Request(input, init)) });
  return {
    url,
    fetch: answer,
    client,
    app,
    store,
    async close() {
      simulation?.stop();
      await store.close();
    },
  };
}
