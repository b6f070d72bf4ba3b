import type { Request, Response } from 'express';
import request from 'supertest';
import { gzipAcrossNetwork } from '../../../src/http/admin/gzip-across-network.js';
import { describe, expect, it } from 'vitest';
import { seedData } from '../../../src/world/seed.js';
import { isLoopback, startServer } from '../../../src/server.js';
import { readFixture } from '../../helpers/fixtures.js';
import { AUTH, mockApp } from '../../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');

describe('/__admin/reset', () => {
  it('puts the store back to the seed', async () => {
    const mock = await mockApp();
    await mock.post('/v2/policy/create', body);
    const res = await request(mock.app).post('/__admin/reset');
    expect(res.status).toBe(200);
    expect(JSON.stringify(mock.store.data)).toBe(JSON.stringify(seedData()));
  });

  it('takes a new seed', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).post('/__admin/reset').send({ seed: 99 });
    expect(res.body).toEqual({ message: 'store reset to seed 99', seed: 99 });
    expect(JSON.stringify(mock.store.data)).toBe(JSON.stringify(seedData(99)));
  });

  it('resets only the session named in X-Mock-Session', async () => {
    const mock = await mockApp();
    const inDefault = (await mock.post('/v2/policy/create', body)).text;
    await request(mock.app).post('/v2/policy/create').set(AUTH).set('X-Mock-Session', 's').send(body);
    await request(mock.app).post('/__admin/reset').set('X-Mock-Session', 's');
    expect((await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 's')).body).toHaveLength(3);
    expect(mock.store.policy(inDefault)).toBeDefined();
  });

  it('refuses a seed that is not a whole number, changing nothing', async () => {
    const mock = await mockApp();
    const before = JSON.stringify(mock.store.data);
    const res = await request(mock.app).post('/__admin/reset').send({ seed: 'abc' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: '400', message: 'seed must be a whole number ≥ 0' });
    expect(JSON.stringify(mock.store.data)).toBe(before);
  });
});

describe('/__admin/state', () => {
  it('exports the store, and imports it back into another mock exactly', async () => {
    const source = await mockApp();
    await source.post('/v2/policy/create', body);
    const exported = (await request(source.app).get('/__admin/state')).body;
    const target = await mockApp({ seed: 5 });
    const res = await request(target.app).put('/__admin/state').send(exported);
    expect(res.status).toBe(200);
    expect(target.store.data).toEqual(source.store.data);
    expect((await target.get('/v2/policy/list')).body).toEqual((await source.get('/v2/policy/list')).body);
  });

  it.each([
    ['not a store at all', () => [1, 2, 3], '/'],
    [
      'a pod in a namespace that does not exist',
      (d: ReturnType<typeof seedData>) => {
        d.pods[0]!.namespaceId = '00000000-0000-4000-8000-000000000000';
      },
      '/pods/0/namespaceId',
    ],
    [
      'a pod phase Kubernetes does not have',
      (d: ReturnType<typeof seedData>) => {
        (d.pods[0] as { status: string }).status = 'Sleeping';
      },
      '/pods/0/status',
    ],
    [
      'two policies with one id',
      (d: ReturnType<typeof seedData>) => {
        d.policies[1]!.id = d.policies[0]!.id;
      },
      '/policies/1/id',
    ],
    [
      'a job that owns no pod',
      (d: ReturnType<typeof seedData>) => {
        d.pods = d.pods.filter((p) => p.jobId !== d.jobs[0]!.id);
      },
      '/jobs/0',
    ],
  ])('refuses a snapshot with %s: 400 naming where, and the store is unchanged', async (_what, corrupt, pointer) => {
    const mock = await mockApp();
    const before = JSON.stringify(mock.store.data);
    const snapshot = seedData(3);
    const replaced = corrupt(snapshot);
    const res = await request(mock.app)
      .put('/__admin/state')
      .send(replaced ?? snapshot);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('not a valid store snapshot');
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain(pointer);
    expect(JSON.stringify(mock.store.data)).toBe(before);
  });

  it('gzips a large snapshot across a network for a client that accepts it, never on loopback', async () => {
    const mock = await mockApp({ sizes: { pods: 2000 } });
    // supertest connects on loopback: bytes are free there, and the answer stays plain.
    const local = await request(mock.app).get('/__admin/state').set('Accept-Encoding', 'gzip');
    expect(local.headers['content-encoding']).toBeUndefined();
    expect(local.body.pods).toHaveLength(2000);
    const asked = (remoteAddress: string, acceptEncoding: string) =>
      gzipAcrossNetwork(
        { socket: { remoteAddress }, headers: { 'accept-encoding': acceptEncoding } } as unknown as Request,
        {
          getHeader: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json; charset=utf-8' : undefined),
        } as unknown as Response,
      );
    expect(asked('10.0.0.7', 'gzip')).toBe(true);
    expect(asked('::ffff:192.168.1.20', 'gzip')).toBe(true);
    expect(asked('127.0.0.1', 'gzip')).toBe(false);
    expect(asked('::1', 'gzip')).toBe(false);
    expect(asked('::ffff:127.0.0.1', 'gzip')).toBe(false);
  });

  it('refuses malformed JSON with a 400 ApiError', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).put('/__admin/state').set('Content-Type', 'application/json').send('{"meta":');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('400');
  });
});

describe('/__admin/requests', () => {
  it('journals API requests with operation, status, duration and the problem, oldest first, bounded', async () => {
    const mock = await mockApp({ journalSize: 3 });
    await mock.get('/v2/policy/list');
    await mock.post('/v2/policy/create', { heartbeat_time: 1 });
    await mock.get('/nowhere');
    await mock.get('/v2/policy/list');
    const journal = (await request(mock.app).get('/__admin/requests')).body;
    expect(journal).toHaveLength(3);
    expect(journal[0]).toMatchObject({
      method: 'POST',
      path: '/v2/policy/create',
      operationId: 'policy_create',
      status: 400,
      problem: 'cluster_id is required; resource_ids is required',
    });
    expect(journal[1]).toMatchObject({ path: '/nowhere', operationId: null, status: 404 });
    expect(typeof journal[2].durationMs).toBe('number');
    expect((await request(mock.app).get('/__admin/requests?limit=1')).body).toHaveLength(1);
    expect((await request(mock.app).get('/__admin/requests?limit=0')).body).toEqual([]);
    await request(mock.app).delete('/__admin/requests');
    expect((await request(mock.app).get('/__admin/requests')).body).toEqual([]);
  });
});

describe('admin token', () => {
  it('guards every admin route but health when set', async () => {
    const mock = await mockApp({ adminToken: 'adm' });
    expect((await request(mock.app).get('/__admin/health')).status).toBe(200);
    const refused = await request(mock.app).post('/__admin/reset');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('401');
    expect((await request(mock.app).get('/__admin/state').set('Authorization', 'Bearer adm')).status).toBe(200);
  });

  it('is required to listen off loopback: the server refuses to start without it', async () => {
    await expect(startServer({ host: '0.0.0.0' })).rejects.toThrowError('refusing to listen on 0.0.0.0 without an admin token');
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].some(isLoopback)).toBe(false);
  });
});

describe('export and import agree', () => {
  it('imports what it exports, even after a create with extra fields in job_filter', async () => {
    const mock = await mockApp();
    const created = await mock.post('/v2/policy/create', {
      ...readFixture<Record<string, unknown>>('requests/valid/create-jobs-filtered.json'),
      job_filter: { namespace: 'research', priority: 100, colour: 'blue' },
    });
    expect(created.status).toBe(200);
    expect(mock.store.policy(created.text)!.jobFilter).toEqual({ namespace: 'research', priority: 100 });
    const exported = (await request(mock.app).get('/__admin/state')).body;
    expect((await request(mock.app).put('/__admin/state').send(exported)).status).toBe(200);
  });

  it('refuses a snapshot whose sizes the seed cannot make, so a later reset cannot fail', async () => {
    const mock = await mockApp();
    const snapshot = seedData();
    snapshot.meta.sizes = { ...snapshot.meta.sizes, pods: 1, jobs: 5 };
    const res = await request(mock.app).put('/__admin/state').send(snapshot);
    expect(res.status).toBe(400);
    expect(res.body.details).toContainEqual({ path: '/meta/sizes', message: 'every job owns a pod: pods (1) must be ≥ jobs (5)' });
  });
});

describe('/__admin/state references', () => {
  it('refuses a policy whose resourceIds name a pod, namespace or job its cluster does not have, changing nothing', async () => {
    const mock = await mockApp();
    const before = JSON.stringify(mock.store.data);
    const snapshot = seedData();
    const missing = '00000000-0000-4000-8000-000000000001';
    const i = snapshot.policies.findIndex((p) => p.resource === 'pods');
    snapshot.policies[i]!.resourceIds = [...snapshot.policies[i]!.resourceIds, missing];
    const ns = snapshot.policies.findIndex((p) => p.resource === 'namespace');
    // A pod id where a namespace id belongs is not a namespace.
    snapshot.policies[ns]!.resourceIds = [snapshot.pods[0]!.id];
    const res = await request(mock.app).put('/__admin/state').send(snapshot);
    expect(res.status).toBe(400);
    const cluster = snapshot.policies[i]!.clusterId;
    expect(res.body.details).toEqual([
      {
        path: `/policies/${i}/resourceIds/${snapshot.policies[i]!.resourceIds.length - 1}`,
        message: `no pod ${missing} in cluster ${cluster}`,
      },
      {
        path: `/policies/${ns}/resourceIds/0`,
        message: `no namespace ${snapshot.pods[0]!.id} in cluster ${snapshot.policies[ns]!.clusterId}`,
      },
    ]);
    expect(JSON.stringify(mock.store.data)).toBe(before);
  });
});

describe('/__admin/reset without a body', () => {
  it('goes back to the start-up seed, not to the last seed a reset was given', async () => {
    const mock = await mockApp({ seed: 5 });
    await request(mock.app).post('/__admin/reset').send({ seed: 7 });
    expect(mock.store.meta.seed).toBe(7);
    const res = await request(mock.app).post('/__admin/reset');
    expect(res.body).toEqual({ message: 'store reset to seed 5', seed: 5 });
    expect(JSON.stringify(mock.store.data)).toBe(JSON.stringify(seedData(5)));
  });
});
