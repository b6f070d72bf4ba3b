import { mockSession } from 'cedana-policy-mock/vitest';
import { describe, expect, it, type TestContext } from 'vitest';

/** The globalSetup's mock, in a fresh session of this test's own, dropped when the test ends. */
const session = ({ onTestFinished }: TestContext) => {
  const mock = mockSession();
  onTestFinished(() => mock.close());
  return mock;
};
const listPolicies = (url: string, headers: Record<string, string>) =>
  fetch(`${url}/v2/policy/list`, { headers: { Authorization: 'Bearer dev-token', ...headers } });

describe.concurrent('the policy list page', () => {
  it('shows the error banner when listing fails', async (context) => {
    const mock = session(context);
    await mock.setControls({ failRate: { byOperation: { policy_list: 1 } } });
    expect((await listPolicies(mock.url, mock.headers)).status).toBe(500);
  });

  it('shows the empty state', async (context) => {
    const mock = session(context);
    await mock.reset({ sizes: { policies: 0 } });
    expect(await (await listPolicies(mock.url, mock.headers)).json()).toEqual([]);
  });

  it('shows the seeded policies, untouched by the other tests', async (context) => {
    const mock = session(context);
    for (let i = 0; i < 5; i++) expect((await listPolicies(mock.url, mock.headers)).status).toBe(200);
    expect(await mock.controls()).toEqual({ delay: null, failRate: {} });
  });
});
