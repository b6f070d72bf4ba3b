// The msw handlers answer from the mock's own app, in this process, with no port.
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMswMock, type MswMock } from '../../src/integrations/msw.js';
import { readFixture } from '../helpers/fixtures.js';

const createBody = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
let mock: MswMock;
let server: ReturnType<typeof setupServer>;
beforeAll(async () => {
  mock = await createMswMock({ baseUrl: 'http://api.example.test' });
  server = setupServer(...mock.handlers);
  server.listen({ onUnhandledRequest: 'error' });
});
afterAll(async () => {
  server.close();
  await mock.close();
});
const api = (path: string, init: RequestInit & { session?: string } = {}) =>
  fetch(`http://api.example.test${path}`, {
    ...init,
    headers: {
      Authorization: 'Bearer t',
      'Content-Type': 'application/json',
      ...(init.session ? { 'X-Mock-Session': init.session } : {}),
      ...(init.headers as Record<string, string>),
    },
  });

describe('cedana-policy-mock/msw', () => {
  it('answers from the same store, with the same validation, as the server', async () => {
    const created = await api('/v2/policy/create', { method: 'POST', body: JSON.stringify(createBody) });
    expect(created.status).toBe(200);
    const id = await created.text();
    expect(mock.store.policy(id)).toBeDefined();
    const refused = await api('/v2/policy/create', { method: 'POST', body: JSON.stringify({ cluster_id: 'nope' }) });
    expect(refused.status).toBe(400);
    const error = (await refused.json()) as { code: string; details: Array<{ path: string }> };
    expect(error.code).toBe('400');
    expect(error.details.map((d) => d.path)).toContain('/body/heartbeat_time');
    expect((await api('/v2/policy/list', { headers: { Authorization: '' } })).status).toBe(401);
  });

  it('keeps parallel sessions apart: one forced to fail, the others untouched', async () => {
    const faulty = mock.client.session('msw-faulty');
    await faulty.setControls({ failRate: { byOperation: { policy_list: 1 } } });
    const rounds = await Promise.all(
      Array.from({ length: 5 }, () =>
        Promise.all([api('/v2/policy/list', { session: 'msw-faulty' }), api('/v2/policy/list', { session: 'msw-calm' })]),
      ),
    );
    expect(rounds.flat().map((r) => r.status)).toEqual(Array.from({ length: 5 }, () => [500, 200]).flat());
    expect((await faulty.requests()).every((e) => e.status === 500)).toBe(true);
    await faulty.close();
  });

  it('holds a Prefer delay and lets an aborted fetch go without an answer', async () => {
    const started = Date.now();
    expect((await api('/v2/policy/list', { headers: { Prefer: 'delay=150' } })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const aborted = api('/v2/policy/list', { headers: { Prefer: 'delay=10000' }, signal: AbortSignal.timeout(50) });
    await expect(aborted).rejects.toThrow();
  });
});
