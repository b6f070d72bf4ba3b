import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { SessionRegistry } from '../../src/store/session-registry.js';
import { seedData } from '../../src/world/seed.js';
import { memoryStore } from '../../src/store/open-store.js';
import { readFixture } from '../helpers/fixtures.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-namespace.json');
const ids = (res: { body: Array<{ id: string }> }) => res.body.map((p) => p.id);

describe('X-Mock-Session', () => {
  it('gives each session its own store, created from the seed, invisible to the others', async () => {
    const mock = await mockApp();
    const inA = (await request(mock.app).post('/v2/policy/create').set(AUTH).set('X-Mock-Session', 'ci-job-a').send(body)).text;
    const listA = await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'ci-job-a');
    const listB = await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'ci-job-b');
    const listDefault = await mock.get('/v2/policy/list');
    expect(ids(listA)).toContain(inA);
    expect(ids(listB)).not.toContain(inA);
    expect(ids(listDefault)).not.toContain(inA);
    // A new session starts from the seed: the same demo policies as the default store had.
    expect(ids(listB)).toEqual(seedData().policies.map((p) => p.id));
  });

  it('refuses a session past the cap with 429 ApiError, and serves existing ones still', async () => {
    const mock = await mockApp({ sessions: { max: 2 } });
    const list = (name: string) => request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', name);
    expect((await list('a')).status).toBe(200);
    expect((await list('b')).status).toBe(200);
    const third = await list('c');
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ code: '429' });
    expect(third.body.message).toContain('too many mock sessions (2 alive)');
    expect((await list('a')).status).toBe(200);
  });

  it('does not let a refused request create a session', async () => {
    const mock = await mockApp({ auth: { token: 'good' }, sessions: { max: 1 } });
    const unauthorised = await request(mock.app)
      .get('/v2/policy/list')
      .set('Authorization', 'Bearer bad')
      .set('X-Mock-Session', 'intruder');
    expect(unauthorised.status).toBe(401);
    const invalid = await request(mock.app)
      .post('/v2/policy/create')
      .set('Authorization', 'Bearer good')
      .set('X-Mock-Session', 'sloppy')
      .send({});
    expect(invalid.status).toBe(400);
    expect(mock.sessions.names()).toEqual([]);
    expect((await request(mock.app).get('/v2/policy/list').set('Authorization', 'Bearer good').set('X-Mock-Session', 'real')).status).toBe(
      200,
    );
  });

  it('refuses a malformed session name with 400', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'has spaces');
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('X-Mock-Session');
  });

  it('drops a session idle past its time; it starts from the seed when used again', () => {
    let now = 0;
    const registry = new SessionRegistry(
      memoryStore(seedData()),
      () => memoryStore(seedData()),
      { max: 10, idleMs: 1000 },
      () => now,
    );
    const first = registry.resolve('e2e');
    void first.removePolicy(first.policies[0]!.id);
    now = 900;
    expect(registry.resolve('e2e')).toBe(first);
    now = 1800;
    registry.resolve('other');
    expect(registry.names()).toEqual(['e2e', 'other']);
    now = 2901;
    expect(registry.sweep()).toBe(2);
    const again = registry.resolve('e2e');
    expect(again).not.toBe(first);
    expect(again.policies).toHaveLength(3);
  });

  it('expires sessions through HTTP too (a short idle time)', async () => {
    // Long enough that a busy machine cannot pass it between the two first requests.
    const mock = await mockApp({ sessions: { idleMs: 1_000 } });
    await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'short');
    expect((await request(mock.app).get('/__admin/sessions')).body).toEqual(['short']);
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    expect((await request(mock.app).get('/__admin/sessions')).body).toEqual([]);
  });
});
