import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readFixture } from '../../helpers/fixtures.js';
import { AUTH, mockApp } from '../../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
type Report = {
  operations: Array<{ operationId: string; statuses: Array<{ status: number; received: number }>; fieldsNeverSent: string[] }>;
  refusals: Array<{ status: number; message: string }>;
  sessions: Array<string | null>;
};
const op = (report: Report, id: string) => report.operations.find((o) => o.operationId === id)!;
const received = (report: Report, id: string) => Object.fromEntries(op(report, id).statuses.map((s) => [s.status, s.received]));

describe('GET /__admin/coverage', () => {
  it('marks each declared status once received, lists the fields never sent and the refusals, per session', async () => {
    const mock = await mockApp();
    const before = (await request(mock.app).get('/__admin/coverage')).body as Report;
    expect(received(before, 'policy_create')).toEqual({ 200: 0, 400: 0, 500: 0 });
    expect(op(before, 'policy_create').fieldsNeverSent).toEqual(
      expect.arrayContaining(['cluster_id', 'job_filter', 'job_filter.namespace', 'runc_root']),
    );

    await mock.post('/v2/policy/create', body);
    await mock.post('/v2/policy/create', { cluster_id: 'nope' });
    await mock.get('/v2/policy/ef649e3e-1d12-4ec0-bb07-b7f131315f08/jobs');
    await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'w1');

    const after = (await request(mock.app).get('/__admin/coverage')).body as Report;
    expect(received(after, 'policy_create')).toEqual({ 200: 1, 400: 1, 500: 0 });
    expect(received(after, 'policy_jobs')).toEqual({ 200: 0, 404: 1, 500: 0 });
    // The session's list is its own.
    expect(received(after, 'policy_list')).toEqual({ 200: 0, 400: 0, 500: 0 });
    expect(op(after, 'policy_create').fieldsNeverSent).not.toContain('cluster_id');
    expect(op(after, 'policy_create').fieldsNeverSent).toContain('job_filter.namespace');
    expect(after.refusals[0]).toMatchObject({ status: 404 });
    expect(after.refusals[1]).toMatchObject({ status: 400, message: expect.stringContaining('heartbeat_time is required') });
    expect(after.sessions).toEqual([null, 'w1']);
    const w1 = (await request(mock.app).get('/__admin/coverage').set('X-Mock-Session', 'w1')).body as Report;
    expect(received(w1, 'policy_list')).toEqual({ 200: 1, 400: 0, 500: 0 });

    expect((await request(mock.app).delete('/__admin/coverage')).status).toBe(200);
    const cleared = (await request(mock.app).get('/__admin/coverage')).body as Report;
    expect(received(cleared, 'policy_create')).toEqual({ 200: 0, 400: 0, 500: 0 });
    expect(cleared.refusals).toEqual([]);
  });

  it('keeps at most --max-sessions + 1 clients, however many sessions come and go', async () => {
    const mock = await mockApp({ sessions: { max: 2 } });
    for (const name of ['a', 'b', 'c', 'd']) {
      await request(mock.app).delete('/__admin/sessions');
      await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', name);
    }
    expect(((await request(mock.app).get('/__admin/coverage')).body as Report).sessions).toHaveLength(3);
  });
});

describe('PUT /__admin/controls', () => {
  it('changes the delay and the fault rate at run time, with the flags’ validation', async () => {
    const mock = await mockApp();
    expect((await request(mock.app).get('/__admin/controls')).body).toEqual({ delay: null, failRate: {} });
    const put = await request(mock.app)
      .put('/__admin/controls')
      .send({ failRate: { all: 1 } });
    expect(put.body).toEqual({ delay: null, failRate: { all: 1 } });
    const failed = await mock.post('/v2/policy/create', body);
    expect(failed.status).toBe(500);
    expect(mock.journal.entries().at(-1)!.problem).toBe('injected fault (--fail-rate 1)');

    const bad = await request(mock.app)
      .put('/__admin/controls')
      .send({ delay: '9-1', failRate: { all: 2, byOperation: { nope: 0.5 } }, colour: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual([
      '/body/colour',
      '/body/delay',
      '/body/failRate/all',
      '/body/failRate/byOperation/nope',
    ]);
    // Nothing changed.
    expect((await request(mock.app).get('/__admin/controls')).body).toEqual({ delay: null, failRate: { all: 1 } });

    await request(mock.app).put('/__admin/controls').send({ delay: '30', failRate: null });
    const started = Date.now();
    expect((await mock.get('/v2/policy/list')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect((await request(mock.app).get('/__admin/controls')).body).toEqual({ delay: '30', failRate: {} });
  });
});

describe('every route into the delay has one bound', () => {
  it.each([['"2147483647"'], ['2147483647'], [`"${'9'.repeat(400)}"`], ['"0-60001"']])(
    'PUT /__admin/controls refuses delay %s (past 60,000 ms), changing nothing',
    async (delay) => {
      const mock = await mockApp();
      const res = await request(mock.app).put('/__admin/controls').set('Content-Type', 'application/json').send(`{"delay":${delay}}`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ path: '/body/delay', message: expect.stringContaining('at most 60000 ms') }]);
      expect((await request(mock.app).get('/__admin/controls')).body).toEqual({ delay: null, failRate: {} });
    },
  );

  it('takes 60,000 ms from PUT /__admin/controls as from Prefer, and no more from Prefer', async () => {
    const mock = await mockApp();
    expect((await request(mock.app).put('/__admin/controls').send({ delay: '0-60000' })).body.delay).toBe('0-60000');
    const prefer = await mock.get('/v2/policy/list').set('Prefer', `delay=${'9'.repeat(400)}`);
    expect(prefer.status).toBe(400);
    expect(prefer.body.message).toContain('over the limit of 60000 ms');
  });
});

describe('admin query parameters are checked like bodies', () => {
  it.each([
    ['?name=a&name=b', '/query/name', 'must be given once'],
    ['?nme=a', '/query/nme', 'is not a parameter of this route (name)'],
    ['?name=', '/query/name', 'must not be empty'],
  ])('DELETE /sessions%s is a 400 that drops nothing', async (query, path, message) => {
    const mock = await mockApp();
    for (const name of ['a', 'b']) await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', name);
    const res = await request(mock.app).delete(`/__admin/sessions${query}`);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ path, message }]);
    expect((await request(mock.app).get('/__admin/sessions')).body).toEqual(['a', 'b']);
  });

  it.each([
    ['/requests?limit=1&limit=2', 'get'],
    ['/requests?after=1&after=1', 'get'],
    ['/requests?limit=1e3', 'get'],
    ['/requests?colour=red', 'get'],
    ['/state?x=1', 'get'],
    ['/reset?seed=3', 'post'],
    ['/requests?all=1', 'delete'],
  ] as const)('%s (%s) is a 400 naming the parameter', async (path, method) => {
    const mock = await mockApp();
    const res = await request(mock.app)[method](`/__admin${path}`);
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toMatch(/^\/query\/\w+$/);
    expect(mock.store.meta.seed).toBe(1337);
  });
});

describe('the inspector’s other admin routes', () => {
  it('GET /version moves with the store and the journal; /requests?after= gives only what is new', async () => {
    const mock = await mockApp();
    const v0 = (await request(mock.app).get('/__admin/version')).body;
    expect(v0).toEqual({ store: 0, journal: 0, ticks: null, simulating: false });
    await mock.post('/v2/policy/create', body);
    const v1 = (await request(mock.app).get('/__admin/version')).body;
    expect(v1.store).toBeGreaterThan(v0.store);
    expect(v1.journal).toBe(1);
    await mock.get('/v2/policy/list');
    const fresh = (await request(mock.app).get('/__admin/requests?after=1')).body;
    expect(fresh.map((e: { operationId: string }) => e.operationId)).toEqual(['policy_list']);
  });

  it('GET /policies shows each policy with its pods and jobs as /pods and /jobs answer', async () => {
    const mock = await mockApp();
    const policies = (await request(mock.app).get('/__admin/policies')).body as Array<{
      id: string;
      resource: string;
      pods: string[];
      jobs: string[] | null;
    }>;
    for (const p of policies) {
      const pods = (await mock.get(`/v2/policy/${p.id}/pods`)).body as Array<{ id: string }>;
      expect(p.pods).toEqual(pods.map((x) => x.id));
      if (p.resource === 'jobs')
        expect(p.jobs).toEqual(
          ((await mock.get(`/v2/policy/${p.id}/jobs`)).body as { affected_jobs: Array<{ id: string }> }).affected_jobs.map((j) => j.id),
        );
      else expect(p.jobs).toBeNull();
    }
  });

  it('DELETE /sessions?name= drops that session only', async () => {
    const mock = await mockApp();
    for (const name of ['a', 'b']) await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', name);
    expect((await request(mock.app).delete('/__admin/sessions?name=a')).status).toBe(200);
    expect((await request(mock.app).get('/__admin/sessions')).body).toEqual(['b']);
    expect((await request(mock.app).delete('/__admin/sessions?name=a')).status).toBe(404);
  });

  it('serves the page without the admin token (it holds no data), and its data only with it', async () => {
    const mock = await mockApp({ adminToken: 'adm' });
    const page = await request(mock.app).get('/__admin/ui/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await request(mock.app).get('/__admin/ui/app.js')).type).toBe('text/javascript');
    expect((await request(mock.app).get('/__admin/ui')).headers.location).toBe('/__admin/ui/');
    for (const path of ['/version', '/policies', '/coverage', '/controls']) {
      expect((await request(mock.app).get(`/__admin${path}`)).status, path).toBe(401);
      expect((await request(mock.app).get(`/__admin${path}`).set('Authorization', 'Bearer adm')).status, path).toBe(200);
    }
    expect(
      (await request(mock.app).put('/__admin/controls').set('Authorization', 'Bearer adm').set('Origin', 'http://evil.example').send({}))
        .status,
    ).toBe(403);
  });
});
