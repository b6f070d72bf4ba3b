import { describe, expect, it } from 'vitest';
import { readFixture } from '../helpers/fixtures.js';
import { mockApp, type MockApp } from '../helpers/mock-app.js';

const body = (name: string) => readFixture<Record<string, unknown>>(`requests/valid/${name}.json`);
const UNKNOWN = '0d9e4f50-7f0e-4c3a-9f43-2b1d5c6a7e88';

async function created(mock: MockApp, request: Record<string, unknown>): Promise<string> {
  return (await mock.post('/v2/policy/create', request)).text;
}

describe('GET /v2/policy/{policy_id}/pods', () => {
  it('pods policy: the listed pods, with namespace names and phases', async () => {
    const mock = await mockApp();
    const request = body('create-pods');
    const res = await mock.get(`/v2/policy/${await created(mock, request)}/pods`);
    expect(res.status).toBe(200);
    const [first] = mock.store.data.pods;
    expect(res.body.map((p: { id: string }) => p.id)).toEqual(request.resource_ids);
    expect(res.body[0]).toEqual({
      id: first!.id,
      name: first!.name,
      namespace: mock.store.data.namespaces.find((n) => n.id === first!.namespaceId)!.name,
      status: first!.status,
    });
  });

  it('namespace policy: every pod of the namespace', async () => {
    const mock = await mockApp();
    const request = body('create-namespace');
    const res = await mock.get(`/v2/policy/${await created(mock, request)}/pods`);
    const expected = mock.store.data.pods.filter((p) => p.namespaceId === (request.resource_ids as string[])[0]).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(res.body.map((p: { id: string }) => p.id)).toEqual(expected);
  });

  it('jobs policy: the pods of the jobs its filter matches', async () => {
    const mock = await mockApp();
    const request = body('create-jobs-filtered');
    const filter = request.job_filter as { namespace: string; priority: number };
    const { data } = mock.store;
    const jobIds = data.jobs
      .filter((j) => j.priority === filter.priority && data.namespaces.find((n) => n.id === j.namespaceId)!.name === filter.namespace)
      .map((j) => j.id);
    const res = await mock.get(`/v2/policy/${await created(mock, request)}/pods`);
    const expected = jobIds.flatMap((jobId) => data.pods.filter((p) => p.jobId === jobId).map((p) => p.id));
    expect(expected.length).toBeGreaterThan(0);
    expect(res.body.map((p: { id: string }) => p.id)).toEqual(expected);
  });

  it('answers 400 for a malformed id and 404 for an unknown one, as ApiError', async () => {
    const mock = await mockApp();
    const bad = await mock.get('/v2/policy/not-a-uuid/pods');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: '400', message: 'policy_id must be a UUID, got "not-a-uuid"' });
    const missing = await mock.get(`/v2/policy/${UNKNOWN}/pods`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: '404', message: `no policy with id ${UNKNOWN}` });
  });
});

describe('GET /v2/policy/{policy_id}/jobs and /job-status', () => {
  it('/jobs lists the matched jobs with their pod counts; count is their number', async () => {
    const mock = await mockApp();
    const request = body('create-jobs-listed');
    const id = await created(mock, request);
    const res = await mock.get(`/v2/policy/${id}/jobs`);
    expect(res.status).toBe(200);
    const [job] = mock.store.data.jobs;
    expect(res.body.policy_id).toBe(id);
    expect(res.body.count).toBe(2);
    expect(res.body.affected_jobs[0]).toEqual({
      id: job!.id,
      name: job!.name,
      namespace: mock.store.data.namespaces.find((n) => n.id === job!.namespaceId)!.name,
      status: job!.status,
      priority: job!.priority,
      pod_count: mock.store.data.pods.filter((p) => p.jobId === job!.id).length,
    });
  });

  it('/job-status reports what the last sync tracked', async () => {
    const mock = await mockApp({ now: () => new Date('2026-11-29T08:00:00.000Z') });
    const id = await created(mock, body('create-jobs-listed'));
    const jobs = (await mock.get(`/v2/policy/${id}/jobs`)).body;
    const pods = (await mock.get(`/v2/policy/${id}/pods`)).body;
    const res = await mock.get(`/v2/policy/${id}/job-status`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      policy_id: id,
      job_ids: jobs.affected_jobs.map((j: { id: string }) => j.id),
      tracked_pods: pods.map((p: { id: string }) => p.id),
      pod_count: pods.length,
      job_status: expect.stringMatching(/^(Running|Suspended|Failed|Complete)$/),
      last_updated: '2026-11-29T08:00:00.000Z',
    });
  });

  it.each(['jobs', 'job-status'])('/%s answers 404 with no body for unknown, malformed and non-jobs policies', async (leaf) => {
    const mock = await mockApp();
    const podsPolicy = await created(mock, body('create-pods'));
    for (const id of [UNKNOWN, 'not-a-uuid', podsPolicy]) {
      const res = await mock.get(`/v2/policy/${id}/${leaf}`);
      expect(res.status).toBe(404);
      expect(res.text).toBe('');
      expect(res.headers['content-type']).toBeUndefined();
    }
  });
});

describe('POST /v2/policy/sync-jobs', () => {
  it('re-evaluates jobs policies: job-status catches up with the cluster only after a sync', async () => {
    let clock = new Date('2026-11-29T08:00:00.000Z');
    const mock = await mockApp({ now: () => clock });
    const id = await created(mock, body('create-jobs-all'));
    const before = (await mock.get(`/v2/policy/${id}/job-status`)).body;

    // A new pod joins the first job: /pods sees it at once, job-status only after a sync.
    const { data } = mock.store;
    const job = data.jobs[0]!;
    const newPod = {
      id: '5e0b6a3c-2d41-4f7a-9c1e-8b2d3f4a5b6c',
      clusterId: job.clusterId,
      namespaceId: job.namespaceId,
      name: `${job.name}-zzzzz`,
      status: 'Pending' as const,
      jobId: job.id,
    };
    await mock.store.replaceAll({ ...structuredClone(data), pods: [...data.pods, newPod] });
    expect((await mock.get(`/v2/policy/${id}/pods`)).body.map((p: { id: string }) => p.id)).toContain(newPod.id);
    expect((await mock.get(`/v2/policy/${id}/job-status`)).body).toEqual(before);

    clock = new Date('2026-11-29T09:00:00.000Z');
    const res = await mock.post('/v2/policy/sync-jobs');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Synced 2 job policies', code: '200' });
    const after = (await mock.get(`/v2/policy/${id}/job-status`)).body;
    expect(after.tracked_pods).toContain(newPod.id);
    expect(after.pod_count).toBe(before.pod_count + 1);
    expect(after.last_updated).toBe('2026-11-29T09:00:00.000Z');
    expect(after.tracked_pods).toEqual((await mock.get(`/v2/policy/${id}/pods`)).body.map((p: { id: string }) => p.id));
  });

  it('ignores a body, even a malformed one, since it declares none', async () => {
    const mock = await mockApp();
    const res = await mock.post('/v2/policy/sync-jobs').set('Content-Type', 'application/json').send('{oops');
    expect(res.status).toBe(200);
  });
});

describe('counts agree everywhere', () => {
  it('list pod_count = /pods length and job_count = /jobs count, for every kind of policy', async () => {
    const mock = await mockApp();
    for (const name of ['create-pods', 'create-namespace', 'create-jobs-all', 'create-jobs-filtered', 'create-jobs-listed']) {
      await created(mock, body(name));
    }
    const list = (await mock.get('/v2/policy/list')).body as Array<{
      id: string;
      resource: string;
      pod_count: number;
      job_count: number | null;
    }>;
    expect(list).toHaveLength(8);
    for (const policy of list) {
      const pods = (await mock.get(`/v2/policy/${policy.id}/pods`)).body;
      expect(policy.pod_count).toBe(pods.length);
      if (policy.resource === 'jobs') {
        const jobs = (await mock.get(`/v2/policy/${policy.id}/jobs`)).body;
        expect(policy.job_count).toBe(jobs.count);
        expect(jobs.count).toBe(jobs.affected_jobs.length);
        const status = (await mock.get(`/v2/policy/${policy.id}/job-status`)).body;
        expect(status.pod_count).toBe(status.tracked_pods.length);
      } else {
        expect(policy.job_count).toBeNull();
      }
    }
  });
});
