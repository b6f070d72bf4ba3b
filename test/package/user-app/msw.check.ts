import { createMswMock } from 'cedana-policy-mock/msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The mock's own app answers msw's handlers in this process: no port, same validation and sessions.
const mock = await createMswMock({ baseUrl: 'http://localhost:4010' });
const server = setupServer(...mock.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const listPolicies = (session: string) =>
  fetch('http://localhost:4010/v2/policy/list', { headers: { Authorization: 'Bearer dev-token', 'X-Mock-Session': session } });

describe.concurrent('the policy list, through msw', () => {
  it('fails in the session that forces a fault', async () => {
    await mock.client.session('broken').setControls({ failRate: { all: 1 } });
    expect((await listPolicies('broken')).status).toBe(500);
  });

  it('answers in the sessions that do not', async () => {
    for (let i = 0; i < 5; i++) expect(await (await listPolicies('fine')).json()).toHaveLength(3);
  });

  it('refuses what the spec refuses', async () => {
    const res = await fetch('http://localhost:4010/v2/policy/create', {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ heartbeat_time: 'soon' }),
    });
    expect(res.status).toBe(400);
  });
});
