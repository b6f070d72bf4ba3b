// Everything a test changes stays in its session: each admin route that reads or changes a store
// addresses the session named in X-Mock-Session, or the default store without it (issue 19).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../helpers/fixtures.js';
import { AUTH, mockApp, type MockApp } from '../../helpers/mock-app.js';

const createBody = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const admin = (mock: MockApp, session?: string) => {
  const at = (req: request.Test) => (session ? req.set('X-Mock-Session', session) : req);
  return {
    get: (path: string) => at(request(mock.app).get(`/__admin${path}`)),
    put: (path: string, body: object) => at(request(mock.app).put(`/__admin${path}`)).send(body),
    post: (path: string, body?: object) => at(request(mock.app).post(`/__admin${path}`)).send(body),
    del: (path: string) => at(request(mock.app).delete(`/__admin${path}`)),
  };
};
const list = (mock: MockApp, session?: string) => {
  const req = request(mock.app).get('/v2/policy/list').set(AUTH);
  return session ? req.set('X-Mock-Session', session) : req;
};

describe('controls are per session', () => {
  it('a fault forced in one session leaves the other session and the default store untouched, in parallel', async () => {
    const mock = await mockApp();
    const forced = await admin(mock, 'faulty').put('/controls', { failRate: { byOperation: { policy_list: 1 } } });
    expect(forced.status).toBe(200);
    const rounds = Array.from({ length: 10 }, () => Promise.all([list(mock, 'faulty'), list(mock, 'calm'), list(mock)]));
    for (const [faulty, calm, byDefault] of await Promise.all(rounds)) {
      expect(faulty.status).toBe(500);
      expect(calm.status).toBe(200);
      expect(byDefault.status).toBe(200);
    }
    expect((await admin(mock, 'calm').get('/controls')).body).toEqual({ delay: null, failRate: {} });
    expect((await admin(mock).get('/controls')).body).toEqual({ delay: null, failRate: {} });
    expect((await admin(mock, 'faulty').get('/controls')).body).toEqual({ delay: null, failRate: { byOperation: { policy_list: 1 } } });
  });

  it('a new session starts with the flags’ values; changing the default store’s controls does not reach it', async () => {
    const mock = await mockApp({ delay: { min: 5, max: 5 }, failRates: { byOperation: { policy_delete: 0.5 } } });
    await admin(mock).put('/controls', { delay: null, failRate: { all: 1 } });
    expect((await admin(mock, 'fresh').get('/controls')).body).toEqual({ delay: '5', failRate: { byOperation: { policy_delete: 0.5 } } });
    expect((await list(mock, 'fresh')).status).toBe(200);
    expect((await list(mock)).status).toBe(500);
  });

  it('a dropped session comes back with the flags’ values, not what it had set', async () => {
    const mock = await mockApp();
    await admin(mock, 'again').put('/controls', { failRate: { all: 1 } });
    await admin(mock).del('/sessions?name=again');
    expect((await admin(mock, 'again').get('/controls')).body).toEqual({ delay: null, failRate: {} });
  });
});

describe('requests and coverage are per session', () => {
  it('reads and clears one session’s journal and coverage, keeping the others’', async () => {
    const mock = await mockApp();
    await Promise.all([list(mock, 'a'), list(mock, 'b'), list(mock)]);
    expect((await admin(mock, 'a').get('/requests')).body.map((e: { session: string }) => e.session)).toEqual(['a']);
    expect((await admin(mock, 'a').del('/requests')).status).toBe(200);
    const left = (await admin(mock).get('/requests?all=true')).body as Array<{ session: string | null; path: string }>;
    expect(
      left
        .filter((e) => e.path === '/v2/policy/list')
        .map((e) => e.session)
        .sort(),
    ).toEqual(['b', null]);
    // Without the header: the default store's, as for every other admin route.
    const sessionsOf = async (path: string) =>
      ((await admin(mock).get(path)).body as Array<{ session: string | null }>).map((e) => e.session);
    expect(await sessionsOf('/requests')).toEqual([null]);
    expect((await admin(mock).del('/requests')).status).toBe(200);
    expect(await sessionsOf('/requests?all=true')).toEqual(['b']);
    expect((await admin(mock).del('/requests?all=true')).status).toBe(200);
    expect(await sessionsOf('/requests?all=true')).toEqual([]);

    const listed = (report: { operations: Array<{ operationId: string; statuses: Array<{ status: number; received: number }> }> }) =>
      report.operations.find((o) => o.operationId === 'policy_list')?.statuses.find((s) => s.status === 200)?.received;
    expect(listed((await admin(mock, 'b').get('/coverage')).body)).toBe(1);
    await admin(mock, 'b').del('/coverage');
    expect(listed((await admin(mock, 'b').get('/coverage')).body)).toBe(0);
    expect(listed((await admin(mock).get('/coverage')).body)).toBe(1);
    expect(listed((await admin(mock, 'a').get('/coverage')).body)).toBe(1);
    await admin(mock).del('/coverage');
    expect(listed((await admin(mock).get('/coverage')).body)).toBe(0);
    expect(listed((await admin(mock, 'a').get('/coverage')).body)).toBe(1);
    await admin(mock).del('/coverage?all=true');
    expect(listed((await admin(mock, 'a').get('/coverage')).body)).toBe(0);
  });
});

describe('reset gives the states a UI must show', () => {
  it('{"sizes": {"policies": 0}} empties one session’s policies, and only its', async () => {
    const mock = await mockApp();
    const res = await admin(mock, 'empty').post('/reset', { sizes: { policies: 0 } });
    expect(res.status).toBe(200);
    expect((await list(mock, 'empty')).body).toEqual([]);
    expect((await list(mock, 'other')).body).toHaveLength(3);
    expect((await list(mock)).body).toHaveLength(3);
    // The cluster is still there: the empty state can be filled by creating a policy.
    expect((await request(mock.app).post('/v2/policy/create').set(AUTH).set('X-Mock-Session', 'empty').send(createBody)).status).toBe(200);
  });

  it.each([
    [{ seeds: 7 }, '/body/seeds'],
    [{ sizes: { policy: 0 } }, '/body/sizes/policy'],
    [{ sizes: { policies: -1 } }, '/body/sizes/policies'],
    [{ sizes: { jobs: 10, pods: 1 } }, '/body/sizes'],
  ])('refuses %j with a 400 naming %s, changing nothing', async (body, path) => {
    const mock = await mockApp();
    await mock.post('/v2/policy/create', createBody);
    const before = JSON.stringify(mock.store.data);
    const res = await admin(mock).post('/reset', body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(JSON.stringify(mock.store.data)).toBe(before);
  });

  it('Prefer: code=401 answers as the mock’s auth refuses a token (a "session expired" screen), changing nothing', async () => {
    const mock = await mockApp();
    const before = mock.store.policyCount;
    const refused = await request(mock.app).post('/v2/policy/create').set(AUTH).set('Prefer', 'code=401').send(createBody);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: '401', message: expect.stringContaining('token') });
    expect((await request(mock.app).get('/v2/policy/list').set(AUTH).set('Prefer', 'code=401')).status).toBe(401);
    expect(mock.store.policyCount).toBe(before);
  });
});
