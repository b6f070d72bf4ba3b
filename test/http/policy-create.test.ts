import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { fixtureFolder, readFixture, type InvalidExpectation } from '../helpers/fixtures.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';

const valid = fixtureFolder<Record<string, unknown>>('requests/valid');
const invalid = fixtureFolder<unknown>('requests/invalid');
const expected = readFixture<Record<string, InvalidExpectation>>('requests/invalid-expected.json');

describe('POST /v2/policy/create', () => {
  it.each(valid)('accepts %s and answers 200 text/plain with the new id, which list then shows', async (_name, body) => {
    const mock = await mockApp();
    const res = await mock.post('/v2/policy/create', body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^[0-9a-f-]{36}$/);
    const listed = (await mock.get('/v2/policy/list')).body.find((p: { id: string }) => p.id === res.text);
    expect(listed).toMatchObject({
      status: 'active',
      policy_type: 'heartbeat',
      input: body.heartbeat_time,
      resource: body.resource ?? 'pods',
      resource_list: body.resource_ids,
    });
  });

  it('defaults resource to pods and policy_type to heartbeat, and stamps the time of the change', async () => {
    const mock = await mockApp({ now: () => new Date('2026-11-29T10:00:00.000Z') });
    const [, body] = valid.find(([n]) => n === 'create-pods-minimal')!;
    const id = (await mock.post('/v2/policy/create', body)).text;
    expect(mock.store.policy(id)).toMatchObject({ resource: 'pods', policyType: 'heartbeat', updatedAt: '2026-11-29T10:00:00.000Z' });
    const listed = (await mock.get('/v2/policy/list')).body.find((p: { id: string }) => p.id === id);
    expect(listed).toMatchObject({ job_count: null, pod_count: 2, timestamp: '2026-11-29T10:00:00.000Z' });
  });

  it('uses an explicit id when it is free and refuses it when taken', async () => {
    const mock = await mockApp();
    const [, body] = valid[0]!;
    const id = '3f0e8f4c-5a55-4d0b-9a55-2f7f4f9d1c11';
    expect((await mock.post('/v2/policy/create', { ...body, id })).text).toBe(id);
    const again = await mock.post('/v2/policy/create', { ...body, id });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: '400', message: `a policy with id ${id} already exists` });
  });

  it('names what each invalid body gets, one entry per body file', () => {
    expect(Object.keys(expected).sort()).toEqual(invalid.map(([name]) => name));
  });

  it.each(invalid)(
    'refuses %s, sent as the file is, with a 400 ApiError that says what is wrong, and changes nothing',
    async (name, body) => {
      const example = expected[name]!;
      const mock = await mockApp();
      const before = JSON.stringify(mock.store.data);
      const res = await mock.post('/v2/policy/create', body);
      expect(res.status).toBe(example.status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.code).toBe(String(example.status));
      expect(res.body.message).toContain(example.message);
      expect(Array.isArray(res.body.details) && res.body.details.length > 0).toBe(true);
      expect(JSON.stringify(mock.store.data)).toBe(before);
    },
  );

  it('reports every problem of a body at once, one readable line per field', async () => {
    const mock = await mockApp();
    const res = await mock.post('/v2/policy/create', {
      heartbeat_time: -1,
      resource: 'bogus',
      resource_ids: ['x'],
      job_filter: { priority: 'high' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      'cluster_id is required; heartbeat_time must be >= 0; job_filter.priority must be integer,null; resource must be one of pods, namespace, jobs; resource_ids[0] must be a UUID',
    );
    // The oneOf noise of 3.1 nullable fields is gone.
    expect(res.body.message).not.toMatch(/oneOf|must be null/);
    expect(res.body.details).toContainEqual({ path: '/body/resource', message: 'must be one of pods, namespace, jobs' });
  });

  it('names every unknown id of the resource kind', async () => {
    const mock = await mockApp();
    const { clusters, jobs } = mock.store.data;
    const unknown = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    const res = await mock.post('/v2/policy/create', {
      cluster_id: clusters[0]!.id,
      heartbeat_time: 1,
      resource: 'jobs',
      resource_ids: [jobs[0]!.id, ...unknown],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(`unknown job ids in cluster ${clusters[0]!.id}: ${unknown.join(', ')}`);
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['/body/resource_ids/1', '/body/resource_ids/2']);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"cluster_id": ', 'request body is not valid JSON'],
    ['a JSON string', 'application/json', '"hello"', 'request body is not valid JSON'],
    ['a non-JSON content type', 'text/plain', 'cluster_id=1', 'Content-Type must be application/json (got text/plain)'],
    ['a form', 'application/x-www-form-urlencoded', 'cluster_id=1', 'Content-Type must be application/json'],
  ])('answers %s with 400 ApiError (the declared status) and changes nothing', async (_what, type, payload, message) => {
    const mock = await mockApp();
    const before = mock.store.policies.length;
    const res = await request(mock.app).post('/v2/policy/create').set(AUTH).set('Content-Type', type).send(payload);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: '400' });
    expect(res.body.message).toContain(message);
    expect(mock.store.policies.length).toBe(before);
  });

  it('answers a body over the limit with 400, not 413 (which create does not declare)', async () => {
    const mock = await mockApp({ bodyLimit: '2kb' });
    const [, body] = valid[0]!;
    const res = await mock.post('/v2/policy/create', { ...body, resource_name: 'x'.repeat(4096) });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('request body is larger than the limit of 2048 bytes');
  });

  it('answers a missing body with 400', async () => {
    const mock = await mockApp();
    const res = await mock.post('/v2/policy/create');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('400');
  });
});

describe('POST /v2/policy/create: numbers at the edges of their formats', () => {
  it.each([
    ['heartbeat_time beyond int64', '{"cluster_id":"c","heartbeat_time":1e19,"resource_ids":[]}', 'heartbeat_time must be an int64'],
    ['heartbeat_time with a fraction', '{"cluster_id":"c","heartbeat_time":1.5,"resource_ids":[]}', 'heartbeat_time must be integer'],
    [
      'priority below int32',
      '{"cluster_id":"c","heartbeat_time":1,"resource_ids":[],"job_filter":{"priority":-2147483649}}',
      'job_filter.priority must be an int32',
    ],
  ])('refuses %s with one problem for the field', async (_what, payload, message) => {
    const mock = await mockApp();
    const res = await request(mock.app).post('/v2/policy/create').set(AUTH).set('Content-Type', 'application/json').send(payload);
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(message + (message.includes('int32') ? ' (-2147483648 to 2147483647)' : ''));
  });
});
