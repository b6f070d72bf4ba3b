// The list is computed, validated and serialised once per change of the store, then sent again
// as the same bytes (PolicyService.sentList, and the fast path of cached-list.ts). These tests hold
// the reuse to what the full pipeline would answer, and show it never skips a check.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { fixtureFolder } from '../helpers/fixtures.js';
import { AUTH, mockApp, type MockApp } from '../helpers/mock-app.js';

const [[, CREATE]] = fixtureFolder<Record<string, unknown>>('requests/valid') as [[string, Record<string, unknown>]];

/** What a client sees of an answer, minus the headers that differ by request (Date, Connection). */
async function answer(req: request.Test) {
  const res = await req;
  return {
    status: res.status,
    type: res.headers['content-type'],
    length: res.headers['content-length'],
    cors: res.headers['access-control-allow-origin'],
    text: res.text,
  };
}

const list = (mock: MockApp) => answer(mock.get('/v2/policy/list'));

describe('GET /v2/policy/list, reused while the store does not change', () => {
  it('answers the reused list exactly as the first, computed one: status, headers, bytes', async () => {
    const mock = await mockApp();
    const first = await list(mock);
    const again = await list(mock);
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/json; charset=utf-8');
    expect(again).toEqual(first);
    expect(JSON.parse(again.text)).toHaveLength(3);
  });

  it('answers with the new state after every kind of change', async () => {
    const mock = await mockApp();
    await list(mock);
    await list(mock);
    const created = await mock.post('/v2/policy/create', CREATE);
    const ids = () => list(mock).then((a) => (JSON.parse(a.text) as { id: string; input: number }[]).map((p) => p.id));
    expect(await ids()).toContain(created.text);

    await mock.post('/v2/policy/update', { ...CREATE, id: created.text, heartbeat_time: 4242 });
    const updated = (JSON.parse((await list(mock)).text) as { id: string; input: number }[]).find((p) => p.id === created.text);
    expect(updated?.input).toBe(4242);

    await mock.del('/v2/policy/delete', { id: created.text });
    expect(await ids()).not.toContain(created.text);

    // A reset (the whole store replaced) too.
    await mock.post('/v2/policy/create', CREATE);
    await request(mock.app).post('/__admin/reset');
    expect(await ids()).toHaveLength(3);
  });

  it('still refuses a request the validator would refuse: no token, a malformed one, a wrong one', async () => {
    const mock = await mockApp({ auth: { token: 'right' } });
    const ok = await answer(request(mock.app).get('/v2/policy/list').set('Authorization', 'Bearer right'));
    expect(ok.status).toBe(200);
    for (const header of [undefined, 'Bearer', 'Basic cmlnaHQ=', 'Bearer wrong']) {
      const req = request(mock.app).get('/v2/policy/list');
      const res = await (header === undefined ? req : req.set('Authorization', header));
      expect(res.status, String(header)).toBe(401);
      expect(res.body.code).toBe('401');
    }
  });

  it('leaves Prefer, X-Mock-Session and query strings to the full pipeline', async () => {
    const mock = await mockApp();
    await list(mock);
    await list(mock);
    const preferred = await mock.get('/v2/policy/list').set('Prefer', 'code=500');
    expect(preferred.status).toBe(500);
    expect(preferred.body.message).toBeTruthy();
    const badPrefer = await mock.get('/v2/policy/list').set('Prefer', 'code=999');
    expect(badPrefer.status).toBe(400);

    // A session sees its own store, not the default store's list.
    await mock.post('/v2/policy/create', CREATE);
    const session = await mock.get('/v2/policy/list').set('X-Mock-Session', 'cached-list-test');
    expect(session.body).toHaveLength(3);
    expect((await mock.get('/v2/policy/list')).body).toHaveLength(4);

    const withQuery = await mock.get('/v2/policy/list?anything=1');
    expect(withQuery.status).toBe(200);
    expect(withQuery.body).toHaveLength(4);
  });

  it('rolls the --fail-rate dice for every request, cached answer or not', async () => {
    const mock = await mockApp({ failRates: { byOperation: { policy_list: 1 } } });
    for (let i = 0; i < 3; i++) expect((await mock.get('/v2/policy/list')).status).toBe(500);
  });

  it('never reuses a list that failed response validation: it fails again, every time', async () => {
    const mock = await mockApp();
    await list(mock);
    const data = structuredClone(mock.store.data);
    // As a hand-edited --db file could hold it: a timestamp that is not one.
    data.policies[0]!.updatedAt = 'yesterday';
    await mock.store.replaceAll(data);
    for (let i = 0; i < 3; i++) {
      const res = await mock.get('/v2/policy/list');
      expect(res.status).toBe(500);
      expect(res.body.message).toContain('response[0].timestamp');
    }
  });

  it('journals and logs a reused answer like any other', async () => {
    const mock = await mockApp();
    await list(mock);
    await list(mock);
    expect(mock.lines.request).toHaveLength(2);
    expect(mock.lines.request[1]).toMatch(/^GET \/v2\/policy\/list 200 \d+\.\dms$/);
    expect(mock.journal.entries().map((e) => [e.operationId, e.status])).toEqual([
      ['policy_list', 200],
      ['policy_list', 200],
    ]);
  });
});

describe('request bodies nested too deep', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const post = (mock: MockApp, body: string) =>
    request(mock.app).post('/v2/policy/create').set(AUTH).set('Content-Type', 'application/json').send(body);

  it('refuses a body nesting deeper than 1000 levels with a 400 ApiError, before parsing it', async () => {
    const mock = await mockApp();
    const res = await post(mock, `{"cluster_id":"c","heartbeat_time":1,"resource_ids":[],"x":${nested(1001)}}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: 'request body nests arrays and objects deeper than 1000 levels',
      code: '400',
      details: [{ path: '/body', message: 'nests too deep' }],
    });
  });

  it('takes 1000 levels, and does not count brackets inside strings', async () => {
    const mock = await mockApp();
    const ok = await post(mock, JSON.stringify({ ...CREATE, x: JSON.parse(nested(999)) as unknown }));
    expect(ok.status, ok.text).toBe(200);
    const strings = await post(mock, JSON.stringify({ ...CREATE, resource_name: `${'['.repeat(5000)}"\\${'{'.repeat(5000)}` }));
    expect(strings.status, strings.text).toBe(200);
  });
});
