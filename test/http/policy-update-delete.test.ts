import { describe, expect, it } from 'vitest';
import { readFixture } from '../helpers/fixtures.js';
import { mockApp, type MockApp } from '../helpers/mock-app.js';

const pods = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const jobsFiltered = readFixture<Record<string, unknown>>('requests/valid/create-jobs-filtered.json');

async function created(mock: MockApp, body: Record<string, unknown>): Promise<string> {
  const res = await mock.post('/v2/policy/create', body);
  expect(res.status).toBe(200);
  return res.text;
}

const listed = async (mock: MockApp, id: string) =>
  ((await mock.get('/v2/policy/list')).body as Array<{ id: string }>).find((p) => p.id === id);

describe('POST /v2/policy/update', () => {
  it('replaces the settings of an existing policy and answers 200 text/plain with its id', async () => {
    let clock = new Date('2026-11-01T00:00:00.000Z');
    const mock = await mockApp({ now: () => clock });
    const id = await created(mock, pods);
    clock = new Date('2026-11-02T00:00:00.000Z');
    const namespaceId = mock.store.data.namespaces[1]!.id;
    const res = await mock.post('/v2/policy/update', {
      id,
      cluster_id: pods.cluster_id,
      heartbeat_time: 45,
      resource: 'namespace',
      resource_ids: [namespaceId],
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe(id);
    expect(await listed(mock, id)).toMatchObject({
      input: 45,
      resource: 'namespace',
      resource_list: [namespaceId],
      timestamp: '2026-11-02T00:00:00.000Z',
    });
    // Replaced, not merged: the old optional fields are gone.
    expect(mock.store.policy(id)).toMatchObject({ resourceName: null, runcRoot: null, createdAt: '2026-11-01T00:00:00.000Z' });
  });

  it('re-syncs a jobs policy it updates', async () => {
    const mock = await mockApp();
    const id = await created(mock, jobsFiltered);
    await mock.post('/v2/policy/update', { ...jobsFiltered, id, job_filter: null });
    const status = (await mock.get(`/v2/policy/${id}/job-status`)).body;
    expect(status.job_ids).toHaveLength(mock.store.data.jobs.length);
  });

  it.each([
    ['without an id', {}, 'id is required to update a policy'],
    [
      'with an id that does not exist',
      { id: '9b2b7a55-0b51-4d4c-8a41-58a4c5d3e6f7' },
      'no policy with id 9b2b7a55-0b51-4d4c-8a41-58a4c5d3e6f7',
    ],
    ['with an invalid body', { heartbeat_time: 'soon' }, 'heartbeat_time must be integer'],
  ])('answers 400 %s and changes nothing', async (_what, patch, message) => {
    const mock = await mockApp();
    await created(mock, pods);
    const before = JSON.stringify(mock.store.data);
    const res = await mock.post('/v2/policy/update', { ...pods, ...patch });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: '400' });
    expect(res.body.message).toContain(message);
    expect(JSON.stringify(mock.store.data)).toBe(before);
  });
});

describe('DELETE /v2/policy/delete', () => {
  it('removes the policy: 200 {message, code: "200"}, gone from list, its pods 404', async () => {
    const mock = await mockApp();
    const id = await created(mock, pods);
    const res = await mock.del('/v2/policy/delete', { id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: `Policy ${id} deleted`, code: '200' });
    expect(await listed(mock, id)).toBeUndefined();
    expect((await mock.get(`/v2/policy/${id}/pods`)).status).toBe(404);
  });

  it.each([
    ['an unknown id', { id: '9b2b7a55-0b51-4d4c-8a41-58a4c5d3e6f7' }, 'no policy with id'],
    ['a malformed id', { id: 'abc' }, 'id must be a UUID'],
    ['no id', {}, 'id is required'],
  ])('answers 400 for %s and deletes nothing', async (_what, body, message) => {
    const mock = await mockApp();
    const before = mock.store.policies.length;
    const res = await mock.del('/v2/policy/delete', body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
    expect(mock.store.policies.length).toBe(before);
  });

  it('fails the second time: a deleted policy stays deleted', async () => {
    const mock = await mockApp();
    const id = await created(mock, pods);
    expect((await mock.del('/v2/policy/delete', { id })).status).toBe(200);
    expect((await mock.del('/v2/policy/delete', { id })).status).toBe(400);
    expect((await mock.post('/v2/policy/update', { ...pods, id })).status).toBe(400);
  });
});
