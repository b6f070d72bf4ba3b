// The server's requests and responses are born with the app's prototypes, so Express's per-request
// Object.setPrototypeOf is a no-op (with Node's own classes it halved requests per second: see
// src/http/app-message-classes.ts); and they still behave as Node's and Express's.
import { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';

describe('the server started by startServer', () => {
  it("hands the app requests and responses that already have the app's prototypes, and they work as Express's", async () => {
    const running = await startServer({ port: 0 });
    try {
      const seen: Array<{ req: object | null; res: object | null; isRequest: boolean; isResponse: boolean }> = [];
      // Runs before the app: what Node made, before Express sets any prototype.
      running.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
        seen.push({
          req: Object.getPrototypeOf(req) as object | null,
          res: Object.getPrototypeOf(res) as object | null,
          isRequest: req instanceof IncomingMessage,
          isResponse: res instanceof ServerResponse,
        });
      });
      const list = await fetch(`${running.url}/v2/policy/list`, { headers: { Authorization: 'Bearer t' } });
      expect(list.status).toBe(200);
      expect(((await list.json()) as unknown[]).length).toBeGreaterThan(0);
      const created = await fetch(`${running.url}/v2/policy/create`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{}',
      });
      // A refusal goes through Express's response methods too (status, json).
      expect(created.status).toBe(400);
      expect(await created.json()).toMatchObject({ code: '400' });
      expect(seen).toHaveLength(2);
      for (const s of seen) {
        expect(s.req).toBe(running.app.request);
        expect(s.res).toBe(running.app.response);
        expect(s.isRequest).toBe(true);
        expect(s.isResponse).toBe(true);
      }
    } finally {
      await running.close();
    }
  });
});
