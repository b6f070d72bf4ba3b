import { MockAdminError, startServer, type RunningServer } from 'cedana-policy-mock';
import { afterAll, beforeAll, expect, test } from 'vitest';

let mock: RunningServer;
beforeAll(async () => {
  mock = await startServer({ seed: 7, sizes: { pods: 200 } }); // a free loopback port
});
afterAll(() => mock.close());

test('the mock in-process, with its admin client', async () => {
  const session = mock.session(); // X-Mock-Session: a fresh name; send session.headers from the app
  await session.setControls({ delay: '20', failRate: { byOperation: { policy_create: 1 } } });
  const list = await fetch(`${mock.url}/v2/policy/list`, { headers: { Authorization: 'Bearer t', ...session.headers } });
  expect(list.status).toBe(200);
  expect((await session.requests()).map((entry) => entry.operationId)).toEqual(['policy_list']);
  expect((await mock.controls()).failRate).toEqual({}); // the default store is untouched
  await expect(session.setControls({ delay: 'soon' })).rejects.toBeInstanceOf(MockAdminError); // .apiError: the ApiError
  await session.close(); // drops the session
});
