import type { Express } from 'express';
import request from 'supertest';
import { createApp, mockLocals, type AppOptions } from '../../src/app.js';
import { formatRequestLine, type Logger } from '../../src/http/logging/logger.js';

export const AUTH = { Authorization: 'Bearer test-token' };

/** A mock app in-process, with a logger that keeps its lines for assertions. */
export async function mockApp(options: AppOptions = {}) {
  const lines = { request: [] as string[], error: [] as string[] };
  const logger: Logger = { request: (e) => lines.request.push(formatRequestLine(e)), error: (l) => lines.error.push(l), notice: () => {} };
  const app: Express = await createApp({ logger, ...options });
  const { store, sessions, journal } = mockLocals(app);
  return {
    app,
    store,
    sessions,
    journal,
    lines,
    get: (path: string) => request(app).get(path).set(AUTH),
    post: (path: string, body?: unknown) => {
      const req = request(app).post(path).set(AUTH);
      return body === undefined ? req : req.send(body as object);
    },
    del: (path: string, body: unknown) =>
      request(app)
        .delete(path)
        .set(AUTH)
        .send(body as object),
  };
}

export type MockApp = Awaited<ReturnType<typeof mockApp>>;
