// What is accepted is kept, what is refused changes nothing (issue "Hardening", findings 1, 4, 5).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { seedData } from '../../src/world/seed.js';
import { readFixture } from '../helpers/fixtures.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const exportState = async (mock: Awaited<ReturnType<typeof mockApp>>) =>
  (await request(mock.app).get('/__admin/state')).body as ReturnType<typeof seedData>;

describe('ids are unique across the store, in the API, the snapshot check and the file check', () => {
  it.each(['clusters', 'namespaces', 'pods', 'jobs'] as const)(
    'refuses a create whose explicit id is one of the %s',
    async (collection) => {
      const mock = await mockApp();
      const taken = mock.store.data[collection][0]!.id;
      const before = JSON.stringify(mock.store.data);
      const res = await mock.post('/v2/policy/create', { ...body, id: taken });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(`id ${taken} is taken`);
      expect(res.body.details).toEqual([{ path: '/body/id', message: 'is taken' }]);
      expect(JSON.stringify(mock.store.data)).toBe(before);
    },
  );

  it('whatever the API accepted survives a state round trip', async () => {
    const mock = await mockApp();
    expect((await mock.post('/v2/policy/create', { ...body, id: '0b4c6a8e-51a3-4d57-9f6e-2b1d5c7e9a10' })).status).toBe(200);
    await mock.post('/v2/policy/create', body);
    const exported = await exportState(mock);
    const res = await request(mock.app).put('/__admin/state').send(exported);
    expect(res.status).toBe(200);
    expect(await exportState(mock)).toEqual(exported);
  });

  it('refuses a snapshot in which a policy has a pod id', async () => {
    const mock = await mockApp();
    const data = await exportState(mock);
    data.policies[0]!.id = data.pods[5]!.id;
    const res = await request(mock.app).put('/__admin/state').send(data);
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ path: '/policies/0/id', message: `duplicates id ${data.pods[5]!.id}` });
  });
});

describe('an import is all or nothing, checked as the responses are', () => {
  it('refuses a snapshot with a field it does not know, however deep, changing nothing', async () => {
    const mock = await mockApp();
    const before = JSON.stringify(mock.store.data);
    let deep: unknown = [];
    for (let i = 0; i < 3000; i++) deep = [deep];
    const data = { ...(await exportState(mock)), meta: { ...(await exportState(mock)).meta, x: deep } };
    const res = await request(mock.app).put('/__admin/state').set('Content-Type', 'application/json').send(JSON.stringify(data));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: '413', message: 'request body nests arrays and objects deeper than 32 levels' });
    expect(JSON.stringify(mock.store.data)).toBe(before);
    // The store is healthy and writable afterwards.
    expect((await mock.post('/v2/policy/create', body)).status).toBe(200);
  });

  it('refuses a snapshot extra field at the top of meta, with the field named', async () => {
    const mock = await mockApp();
    const data = await exportState(mock);
    const res = await request(mock.app)
      .put('/__admin/state')
      .send({ ...data, meta: { ...data.meta, note: 'mine' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ path: '/meta', message: 'must NOT have additional properties' });
  });

  it.each(['2026-10-17 20:49:17Z', '2026-10-17t20:49:17', 'yesterday'])(
    'refuses the timestamp %j, which no answer could carry',
    async (timestamp) => {
      const mock = await mockApp();
      const data = await exportState(mock);
      data.policies[0]!.updatedAt = timestamp;
      const res = await request(mock.app).put('/__admin/state').send(data);
      expect(res.status).toBe(400);
      expect(res.body.details).toContainEqual({ path: '/policies/0/updatedAt', message: 'must match format "date-time"' });
      expect((await mock.get('/v2/policy/list')).status).toBe(200);
    },
  );

  it('accepts an RFC 3339 timestamp without milliseconds, and every read answers 200 with it', async () => {
    const mock = await mockApp();
    const data = await exportState(mock);
    for (const policy of data.policies) {
      policy.updatedAt = '2026-10-17T20:49:17Z';
      if (policy.tracking) policy.tracking.syncedAt = '2026-10-17T20:49:17+02:00';
    }
    expect((await request(mock.app).put('/__admin/state').send(data)).status).toBe(200);
    const list = await mock.get('/v2/policy/list');
    expect(list.status).toBe(200);
    expect(list.body[0].timestamp).toBe('2026-10-17T20:49:17Z');
    for (const policy of data.policies) {
      const path = policy.resource === 'jobs' ? `/v2/policy/${policy.id}/job-status` : `/v2/policy/${policy.id}/pods`;
      expect((await mock.get(path)).status).toBe(200);
    }
  });

  it('refuses a snapshot whose sizes the flags would refuse, so a reset or a new session can always seed', async () => {
    const mock = await mockApp();
    const data = await exportState(mock);
    const res = await request(mock.app)
      .put('/__admin/state')
      .send({ ...data, meta: { ...data.meta, sizes: { ...data.meta.sizes, clusters: 100, pods: 1_000_000 } } });
    expect(res.status).toBe(400);
    expect(res.body.details[0]).toMatchObject({ path: '/meta/sizes' });
    const reset = await request(mock.app).post('/__admin/reset');
    expect(reset.status).toBe(200);
  });

  it('stops at 50 problems for a snapshot of a million empty pods', async () => {
    const mock = await mockApp();
    const data = await exportState(mock);
    const text = JSON.stringify({ ...data, pods: [] }).replace('"pods":[]', `"pods":[${'{},'.repeat(999_999)}{}]`);
    const res = await request(mock.app).put('/__admin/state').set('Content-Type', 'application/json').send(text);
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveLength(50);
    expect(res.body.message).toContain('the first 50 problems');
  });
});

describe('numbers are kept exactly or refused', () => {
  const createWith = (mock: Awaited<ReturnType<typeof mockApp>>, heartbeat: string) =>
    request(mock.app)
      .post('/v2/policy/create')
      .set(AUTH)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ...body, heartbeat_time: 0 }).replace('"heartbeat_time":0', `"heartbeat_time":${heartbeat}`));

  it.each(['9007199254740993', '9223372036854775807', '92233720368547758070', '9007199254740990.9', '1.00000000000000001', '1e400'])(
    'refuses heartbeat_time %s, which a double cannot keep as sent, changing nothing',
    async (n) => {
      const mock = await mockApp();
      const before = JSON.stringify(mock.store.data);
      const res = await createWith(mock, n);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(`the number ${n} cannot be kept exactly`);
      expect(JSON.stringify(mock.store.data)).toBe(before);
    },
  );

  it('refuses 2^53, which is exact but past the integers a double keeps one by one', async () => {
    const mock = await mockApp();
    const res = await createWith(mock, '9007199254740992');
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^heartbeat_time 9007199254740992 cannot be kept exactly/);
    expect(res.body.details).toEqual([{ path: '/body/heartbeat_time', message: 'must be at most 9007199254740991 to be kept exactly' }]);
  });

  it.each(['9007199254740991', '300.0', '3e2'])('keeps heartbeat_time %s as the number it is', async (n) => {
    const mock = await mockApp();
    const id = (await createWith(mock, n)).text;
    const list = await mock.get('/v2/policy/list');
    expect(list.body.find((p: { id: string }) => p.id === id).input).toBe(Number(n));
  });

  it('refuses a number literal past 400 characters, saying so, and keeps the longest a double needs', async () => {
    const mock = await mockApp();
    const long = `0.1${'0'.repeat(398)}1`;
    const res = await createWith(mock, long);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('a number 402 characters long; numbers may be at most 400 characters');
    // 5e-324, the smallest double, written out in full: 326 characters, kept as the number it is.
    const smallest = `0.${'0'.repeat(323)}5`;
    const sent = JSON.stringify({ ...body, x: 0 }).replace('"x":0', `"x":${smallest}`);
    expect((await request(mock.app).post('/v2/policy/create').set(AUTH).set('Content-Type', 'application/json').send(sent)).status).toBe(
      200,
    );
  });

  it('refuses an inexact number in a snapshot too', async () => {
    const mock = await mockApp();
    const text = JSON.stringify(await exportState(mock)).replace(/"heartbeatTime":\d+/, '"heartbeatTime":1.00000000000000001');
    const res = await request(mock.app).put('/__admin/state').set('Content-Type', 'application/json').send(text);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('cannot be kept exactly');
  });
});

describe('ids compare without case, as UUIDs do', () => {
  it('refuses an explicit id that differs from a taken one only in case, and deletes by either case', async () => {
    const mock = await mockApp();
    const policy = mock.store.policies[0]!;
    const cluster = mock.store.data.clusters[0]!;
    for (const id of [policy.id.toUpperCase(), cluster.id.toUpperCase()]) {
      const res = await mock.post('/v2/policy/create', { ...body, id });
      expect(res.status, id).toBe(400);
      expect(res.body.details).toEqual([{ path: '/body/id', message: 'is taken' }]);
    }
    expect((await mock.del('/v2/policy/delete', { id: policy.id.toUpperCase() })).status).toBe(200);
    expect(mock.store.policy(policy.id)).toBeUndefined();
  });
});

describe('the simulation keeps the store reopenable', () => {
  it('never makes an id twice, across imports that start its count again', async () => {
    const { startServer } = await import('../../src/server.js');
    const server = await startServer({ simulate: { tickMs: 60_000 }, sizes: { pods: 200, jobs: 30 } });
    try {
      const simulation = (await import('../../src/app.js')).mockLocals(server.app).simulation!;
      const roundTrip = async () => {
        const state = await (await fetch(`${server.url}/__admin/state`)).text();
        const res = await fetch(`${server.url}/__admin/state`, {
          method: 'PUT',
          headers: { 'Content-Type': 'application/json' },
          body: state,
        });
        expect(res.status, await res.clone().text()).toBe(200);
      };
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 15; i++) simulation.step();
        await roundTrip();
      }
    } finally {
      await server.close();
    }
  });
});
