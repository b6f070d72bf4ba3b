// The admin routes under generated requests (a second adversarial pass, kept): random methods,
// paths, headers and bodies. Every answer is a JSON ApiError or a JSON success, nothing is a 5xx,
// a refused change changes nothing, and the mock stays healthy and its state reopenable.
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { snapshotProblems } from '../../src/store/snapshot.js';
import { seedData } from '../../src/world/seed.js';
import { mockApp } from '../helpers/mock-app.js';

const seed = seedData();
const paths = [
  '/reset',
  '/state',
  '/requests',
  '/sessions',
  '/health',
  '/nope',
  '/state/x',
  '/',
  '/requests?limit=-1',
  '/requests?limit=abc',
  '/requests?limit=2',
];
const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;

/** Snapshots that are almost right: one field of a valid one replaced by something else. */
const nearSnapshot = fc
  .record({
    collection: fc.constantFrom('pods', 'jobs', 'namespaces', 'clusters', 'policies', 'meta'),
    field: fc.constantFrom('id', 'clusterId', 'namespaceId', 'status', 'jobId', 'seed', 'sizes', 'name', 'heartbeatTime', 'updatedAt', 'x'),
    value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(2 ** 53 + 2, '2026-10-17 20:49:17Z', null, -1, 1e308, '')),
  })
  .map(({ collection, field, value }) => {
    const data = structuredClone(seed) as unknown as Record<string, unknown>;
    const target =
      collection === 'meta' ? (data.meta as Record<string, unknown>) : ((data[collection] as Array<Record<string, unknown>>)[0] ?? {});
    target[field] = value;
    return data;
  });

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({ seed: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(2 ** 60)) }),
  nearSnapshot,
);

const headers = fc.record(
  {
    origin: fc.constantFrom('http://evil.example', 'null', 'http://localhost:4010', 'file://'),
    contentType: fc.constantFrom(
      'application/json',
      'text/plain',
      'application/json; charset=utf-16',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
    session: fc.constantFrom('a', 'b', 'bad name', '', 'x'.repeat(80)),
    host: fc.constantFrom('localhost:4010', 'rebind.attacker.example', '127.0.0.1', '[::1]:1'),
  },
  { requiredKeys: [] },
);

describe('the admin routes under generated requests', () => {
  it('answer JSON, never 5xx, and leave a state that is still a valid snapshot', async () => {
    const mock = await mockApp();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), fc.constantFrom(...paths), headers, body, async (method, path, h, sent) => {
        const before = JSON.stringify(mock.store.data);
        let req = request(mock.app)[method.toLowerCase() as 'get'](`/__admin${path}`);
        if (h.origin) req = req.set('Origin', h.origin);
        if (h.session !== undefined) req = req.set('X-Mock-Session', h.session);
        if (h.host) req = req.set('Host', h.host);
        if (sent !== undefined) req = req.set('Content-Type', h.contentType ?? 'application/json').send(JSON.stringify(sent));
        const res = await req;
        expect(res.status, `${method} ${path} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
        if (method !== 'OPTIONS' && res.status !== 204) {
          expect(res.type).toBe('application/json');
          if (res.status >= 400)
            expect(res.body).toMatchObject({ code: String(res.status), message: expect.any(String), details: expect.any(Array) });
        }
        // A refusal changes nothing (the default store; sessions are their own).
        if (res.status >= 400) expect(JSON.stringify(mock.store.data)).toBe(before);
        // Whatever was accepted is a store the next start would open.
        expect(snapshotProblems(mock.store.data)).toEqual([]);
      }),
      { numRuns: 400, seed: 20261201 },
    );
    expect((await request(mock.app).get('/__admin/health')).status).toBe(200);
  }, 60_000);
});
