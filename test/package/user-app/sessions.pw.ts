import { expect, test } from 'cedana-policy-mock/playwright';

// What the app under test does: list policies from the mock (its URL is the app's API URL).
const listFromPage = (page: import('@playwright/test').Page, url: string) =>
  page.evaluate(async (api) => (await fetch(`${api}/v2/policy/list`, { headers: { Authorization: 'Bearer t' } })).status, url);

test.beforeEach(async ({ page, mock }) => {
  await page.goto(`${mock.url}/openapi.json`); // any page of the app; its requests to the mock carry the session
});

test('shows an error when listing fails', async ({ page, mock }) => {
  await mock.setControls({ failRate: { byOperation: { policy_list: 1 } } });
  expect(await listFromPage(page, mock.url)).toBe(500);
});

for (const name of ['one', 'two', 'three']) {
  test(`lists policies, untouched by the failing test (${name})`, async ({ page, mock }) => {
    for (let i = 0; i < 3; i++) expect(await listFromPage(page, mock.url)).toBe(200);
    const listed = (await mock.requests()).filter((entry) => entry.operationId === 'policy_list');
    expect(listed.map((entry) => entry.status)).toEqual([200, 200, 200]);
  });
}
