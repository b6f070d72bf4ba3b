import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMock, MockAdminError } from '../../src/index.js';
import { startServer, type RunningServer } from '../../src/server.js';

const AUTH = { Authorization: 'Bearer t' };
let mock: RunningServer;
beforeAll(async () => {
  mock = await startServer({ adminToken: 'admin-secret' });
});
afterAll(async () => {
  await mock.close();
});
const list = (headers: Record<string, string> = {}) => fetch(`${mock.url}/v2/policy/list`, { headers: { ...AUTH, ...headers } });

describe('the typed admin client (connectMock, and the handle startServer returns)', () => {
  it('scopes every call to its session, and gives the header the app sends', async () => {
    const a = mock.session('client-a');
    const b = mock.session('client-b');
    expect(a.headers).toEqual({ 'X-Mock-Session': 'client-a' });
    await a.setControls({ failRate: { byOperation: { policy_list: 1 } } });
    await b.reset({ sizes: { policies: 0 } });
    const [inA, inB, inDefault] = await Promise.all([list(a.headers), list(b.headers), list()]);
    expect([inA.status, inB.status, inDefault.status]).toEqual([500, 200, 200]);
    expect(await inB.json()).toEqual([]);
    expect((await a.controls()).failRate).toEqual({ byOperation: { policy_list: 1 } });
    expect(await mock.controls()).toEqual({ delay: null, failRate: {} });
    expect((await a.requests()).map((e) => [e.session, e.status])).toEqual([['client-a', 500]]);
    const coverage = await b.coverage();
    expect(coverage.session).toBe('client-b');
    // The default store's client clears only its own journal and coverage, unless told all.
    expect((await mock.requests()).map((e) => e.session)).toEqual([null]);
    await mock.clearRequests();
    await mock.clearCoverage();
    expect(await mock.requests()).toEqual([]);
    expect((await a.requests()).map((e) => e.status)).toEqual([500]);
    await mock.clearRequests({ all: true });
    expect(await a.requests({ all: true })).toEqual([]);
    expect((await b.state()).policies).toEqual([]);
    await a.close();
    await b.close();
    expect(await (await fetch(`${mock.url}/__admin/sessions`, { headers: { Authorization: 'Bearer admin-secret' } })).json()).toEqual([]);
  });

  it('round-trips a snapshot with state() and setState()', async () => {
    const s = mock.session();
    const snapshot = await mock.state();
    snapshot.policies = snapshot.policies.slice(0, 1);
    expect(await s.setState(snapshot)).toMatchObject({ policies: 1 });
    expect((await s.state()).policies).toHaveLength(1);
    expect((await mock.state()).policies).toHaveLength(3);
    await s.close();
  });

  it('throws a MockAdminError carrying the ApiError for a refused call, and a missing admin token', async () => {
    const refused = await mock.setControls({ delay: 'soon' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MockAdminError);
    expect(refused).toMatchObject({ status: 400, apiError: { code: '400', details: [{ path: '/body/delay' }] } });
    const anonymous = await connectMock(mock.url)
      .reset()
      .catch((error: unknown) => error);
    expect(anonymous).toMatchObject({ name: 'MockAdminError', status: 401, apiError: { code: '401' } });
  });
});
