// What all stores hold together is bounded by --max-data, whatever clients send (issue "Hardening",
// second pass: 4,000 valid 1 MB creates, or sessions reset to new seeds at the largest sizes, filled
// the heap).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { cachedSeedData } from '../../src/world/seed.js';
import { readFixture } from '../helpers/fixtures.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const MB = 1024 ** 2;

describe('--max-data', () => {
  it('refuses a valid create that would take the store past it with a 400 saying so, and takes one again once room is made', async () => {
    const mock = await mockApp({ maxDataBytes: 8 * MB });
    const big = { ...body, resource_name: 'x'.repeat(900_000) };
    const ids: string[] = [];
    let refused: request.Response | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await mock.post('/v2/policy/create', big);
      if (res.status === 200) ids.push(res.text);
      else refused = res;
    }
    expect(ids.length).toBeGreaterThan(0);
    expect(refused?.status).toBe(400);
    expect(refused?.body.message).toContain('--max-data');
    const count = mock.store.policies.length;
    expect((await mock.del('/v2/policy/delete', { id: ids[0] })).status).toBe(200);
    expect((await mock.post('/v2/policy/create', big)).status).toBe(200);
    expect(mock.store.policies.length).toBe(count);
    // Small changes still fit, and shrinking is always allowed.
    expect((await mock.post('/v2/policy/update', { ...body, id: ids[1] })).status).toBe(200);
  });

  it('refuses a reset to a new seed at sizes it has no room for, at once and without seeding, in a session too', async () => {
    const mock = await mockApp({ maxDataBytes: 64 * MB });
    const state = (await request(mock.app).get('/__admin/state')).body;
    const sizes = { clusters: 1, namespaces: 10_000, pods: 500_000, jobs: 100_000, policies: 100_000 };
    const big = { ...state, meta: { ...state.meta, sizes } };
    // A small snapshot that claims the largest sizes: a reset would seed them.
    expect((await request(mock.app).put('/__admin/state').send(big)).status).toBe(200);
    expect((await request(mock.app).put('/__admin/state').set('X-Mock-Session', 's1').send(big)).status).toBe(200);
    for (const [session, seed] of [
      [undefined, 1001],
      ['s1', 1000],
    ] as const) {
      let req = request(mock.app).post('/__admin/reset');
      if (session) req = req.set('X-Mock-Session', session);
      const res = await req.send({ seed });
      expect(res.status, session ?? 'default').toBe(400);
      expect(res.body.message).toContain('--max-data');
      // Refused before seeding: the seed was never made.
      expect(cachedSeedData(seed, sizes)).toBeUndefined();
    }
    expect(mock.store.meta.seed).toBe(1337);
  });

  it("gives a dropped session's room back", async () => {
    const mock = await mockApp({ maxDataBytes: 8 * MB });
    const big = { ...body, resource_name: 'y'.repeat(900_000) };
    let made = 0;
    while ((await request(mock.app).post('/v2/policy/create').set(AUTH).set('X-Mock-Session', 'fill').send(big)).status === 200) made++;
    expect(made).toBeGreaterThan(0);
    expect((await mock.post('/v2/policy/create', big)).status).toBe(400);
    await request(mock.app).delete('/__admin/sessions');
    expect((await mock.post('/v2/policy/create', big)).status).toBe(200);
  });
});
