import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { mockApp } from '../helpers/mock-app.js';

const LIST = '/v2/policy/list';

describe('auth (Authorization: Bearer <token>, as upstream)', () => {
  it.each([
    ['no Authorization header', undefined, 'Authorization header required'],
    ['another scheme', 'Basic dXNlcjpwYXNz', "Authorization header with scheme 'Bearer' required"],
    ['an empty bearer token', 'Bearer ', 'Authorization header must be "Bearer <token>"'],
  ])('answers %s with 401 ApiError', async (_what, header, message) => {
    const { app } = await mockApp();
    for (const path of [LIST, '/v2/policy/sync-jobs']) {
      const req = path === LIST ? request(app).get(path) : request(app).post(path);
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.code).toBe('401');
      expect(res.body.message).toContain(message);
    }
  });

  it.each([
    [undefined, 'Authorization header required: send "Authorization: Bearer <token>"', ''],
    ['Basic dXNlcjpwYXNz', "Authorization header with scheme 'Bearer' required", ' (send "Authorization: Bearer <token>")'],
    ['Bearer ', 'Authorization header must be "Bearer <token>"', ''],
    ['Bearer other', 'Bearer token is not valid', ' (send "Authorization: Bearer <token>")'],
  ])(
    'words the 401 for %j as it always has: the problem, a hint where it lacks one, the header as detail',
    async (header, problem, hint) => {
      const { app } = await mockApp({ auth: { token: 's3cret' } });
      const req = request(app).get(LIST);
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        message: `${problem}${hint}`,
        code: '401',
        details: [{ path: '/headers/authorization', message: problem }],
      });
    },
  );

  it('accepts any non-empty bearer token by default', async () => {
    const { app } = await mockApp();
    expect((await request(app).get(LIST).set('Authorization', 'Bearer anything')).status).toBe(200);
  });

  it('accepts only the configured token when one is set', async () => {
    const { app } = await mockApp({ auth: { token: 's3cret' } });
    expect((await request(app).get(LIST).set('Authorization', 'Bearer s3cret')).status).toBe(200);
    const wrong = await request(app).get(LIST).set('Authorization', 'Bearer other');
    expect(wrong.status).toBe(401);
    expect(wrong.body.message).toContain('Bearer token is not valid');
  });

  it('can be turned off', async () => {
    const { app } = await mockApp({ auth: false });
    expect((await request(app).get(LIST)).status).toBe(200);
  });

  it('checks auth before the body, so a bad body without a token is a 401 that changes nothing', async () => {
    const mock = await mockApp();
    const before = mock.store.policies.length;
    const res = await request(mock.app).post('/v2/policy/create').send({ nope: true });
    expect(res.status).toBe(401);
    expect(mock.store.policies.length).toBe(before);
  });
});

describe('outside the spec’s operations', () => {
  it('answers an unknown route with a 404 ApiError, not an HTML page', async () => {
    const mock = await mockApp();
    const res = await mock.get('/v2/policies');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ message: 'no operation at GET /v2/policies', code: '404', details: [] });
  });

  it('answers a known path with another method with 405 ApiError and Allow', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).delete('/v2/policy/list').set('Authorization', 'Bearer t');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.body).toMatchObject({ code: '405', message: 'DELETE is not allowed on /v2/policy/list; allowed: GET' });
  });

  it('answers a CORS preflight, so a browser app on another origin can call it', async () => {
    const mock = await mockApp();
    const res = await request(mock.app)
      .options('/v2/policy/create')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('allows credentialed requests (fetch credentials: include, axios withCredentials) from --cors-origin origins, never with the wildcard', async () => {
    const named = await mockApp({ corsOrigins: ['http://localhost:5173'] });
    const preflight = await request(named.app)
      .options('/v2/policy/create')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    const list = await named.get('/v2/policy/list').set('Origin', 'http://localhost:5173');
    expect(list.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(list.headers['access-control-allow-credentials']).toBe('true');
    // A page on another origin gets no CORS grant at all.
    const other = await named.get('/v2/policy/list').set('Origin', 'http://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['access-control-allow-credentials']).toBeUndefined();

    // A browser refuses credentials with `*`; the open default does not pretend otherwise.
    const open = await mockApp();
    const res = await open.get('/v2/policy/list').set('Origin', 'http://localhost:5173');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses a preflight from an origin that is not a --cors-origin by saying so, and which origins are allowed', async () => {
    const named = await mockApp({ corsOrigins: ['http://localhost:5173'] });
    // The classic trap: the dev server on 127.0.0.1, the flag naming localhost.
    const preflight = await request(named.app)
      .options('/v2/policy/create')
      .set('Origin', 'http://127.0.0.1:5173')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.body).toMatchObject({
      code: '403',
      message: 'origin http://127.0.0.1:5173 is not allowed (--cors-origin); allowed: http://localhost:5173',
    });
    expect(JSON.stringify(preflight.body)).not.toMatch(/405|OPTIONS is not allowed/);
  });

  it('logs a refused preflight as the refusal of its origin, on the API and on /__admin (with or without --cors-origin)', async () => {
    const preflight = (app: Awaited<ReturnType<typeof mockApp>>['app'], path: string) =>
      request(app).options(path).set('Origin', 'http://127.0.0.1:5173').set('Access-Control-Request-Method', 'PUT');
    const named = await mockApp({ corsOrigins: ['http://localhost:5173'], adminToken: 'admin-secret' });
    const admin = await preflight(named.app, '/__admin/controls');
    expect(admin.status).toBe(403);
    expect(admin.body.message).toBe('origin http://127.0.0.1:5173 is not allowed (--cors-origin); allowed: http://localhost:5173');
    await preflight(named.app, '/v2/policy/create');
    await new Promise((resolve) => setImmediate(resolve));
    expect(named.lines.request.map((line) => line.replace(/ [\d.]+ms /, ' '))).toEqual([
      'OPTIONS /__admin/controls 403 - origin http://127.0.0.1:5173 is not allowed (--cors-origin); allowed: http://localhost:5173',
      'OPTIONS /v2/policy/create 403 - origin http://127.0.0.1:5173 is not allowed (--cors-origin); allowed: http://localhost:5173',
    ]);

    // Without --cors-origin the API is open to any origin, /__admin only to the mock's own pages.
    const open = await mockApp();
    expect((await preflight(open.app, '/v2/policy/create')).status).toBe(204);
    const refused = await preflight(open.app, '/__admin/state');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe("origin http://127.0.0.1:5173 is not allowed (--cors-origin); allowed: only the mock's own pages");
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a path that is not valid percent-encoding with the operation’s declared client error', async () => {
    const mock = await mockApp();
    const pods = await mock.get('/v2/policy/%E0%A4%A/pods');
    expect(pods.status).toBe(400);
    expect(pods.body).toMatchObject({ code: '400', message: 'the URL path is not valid percent-encoding' });
    const jobs = await mock.get('/v2/policy/%E0%A4%A/jobs');
    expect(jobs.status).toBe(404);
    expect(jobs.text).toBe('');
  });

  it('GET /__admin/health answers 200 without auth', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).get('/__admin/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('logs one line per request, with the problem when there is one', async () => {
    const mock = await mockApp();
    await mock.get(LIST);
    await mock.post('/v2/policy/create', { heartbeat_time: 1 });
    expect(mock.lines.request[0]).toMatch(/^GET \/v2\/policy\/list 200 \d+\.\dms$/);
    expect(mock.lines.request[1]).toMatch(/^POST \/v2\/policy\/create 400 \d+\.\dms - cluster_id is required; resource_ids is required$/);
  });
});

describe('response validation', () => {
  it('turns a response that breaks the spec into a 500 ApiError naming the field, and logs it loudly', async () => {
    const mock = await mockApp();
    // Corrupt data, as a hand-edited --db file could: a pod id that is not a UUID.
    const data = structuredClone(mock.store.data);
    const policy = data.policies.find((p) => p.resource === 'pods')!;
    const pod = data.pods.find((p) => p.id === policy.resourceIds[0])!;
    pod.id = 'not-a-uuid';
    policy.resourceIds[0] = 'not-a-uuid';
    await mock.store.replaceAll(data);

    const res = await mock.get(`/v2/policy/${policy.id}/pods`);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.code).toBe('500');
    expect(res.body.message).toContain("the mock's response broke the spec");
    expect(res.body.message).toContain('response[0].id must be a UUID');
    expect(res.body.details).toContainEqual({ path: '/response/0/id', message: 'must be a UUID' });
    expect(mock.lines.error.join('\n')).toContain('/response/0/id');
  });

  it('never sends a body where the declared 500 has none', async () => {
    const mock = await mockApp();
    const data = structuredClone(mock.store.data);
    const policy = data.policies.find((p) => p.resource === 'jobs')!;
    (policy.tracking as unknown as { podIds: unknown }).podIds = [42];
    await mock.store.replaceAll(data);
    const res = await mock.get(`/v2/policy/${policy.id}/job-status`);
    expect(res.status).toBe(500);
    expect(res.text).toBe('');
  });
});
