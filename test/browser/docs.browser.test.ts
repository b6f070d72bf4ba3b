import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/load-spec.js';
import {
  authorize,
  execute,
  executeList,
  launchChromium,
  operation,
  startDocsMock,
  type Chromium,
  type DocsMock,
} from '../../scripts/docs-harness.js';

// /docs in a real browser: Swagger UI loads from the mock alone, shows the spec's operations, and
// a call made from the page, with the token given to its Authorize dialog, reaches the mock.

const TOKEN = 'browser-test-token';
const METHODS = new Set(['get', 'post', 'put', 'delete', 'patch']);
const operations = Object.entries(loadSpec().paths ?? {}).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.has(method))
    .map(([method, op]) => ({ method, path, summary: String((op as { summary?: unknown }).summary) })),
);

/** Loopback, or no network at all (data:, blob:); anything else left the machine. */
const staysLocal = (url: string) => {
  const { protocol, hostname } = new URL(url);
  return protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1';
};

let mock: DocsMock | undefined;
let browser: Chromium | undefined;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  // Only TOKEN is accepted: a call that did not get it from the Authorize dialog is a 401.
  mock = await startDocsMock({ auth: { token: TOKEN } });
  browser = await launchChromium();
  browser.page.setDefaultTimeout(20_000);
  browser.context.on('request', (r) => requests.push(r.url()));
  browser.context.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  browser.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  browser.page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await browser.page.goto(`${mock.url}/docs`);
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

describe('/docs in Chromium', () => {
  it('shows every operation of the spec, with its path and summary', async () => {
    const page = browser!.page;
    expect(page.url()).toBe(`${mock!.url}/docs/`);
    expect(operations).toHaveLength(8);
    await page.locator('.opblock').first().waitFor();
    expect(await page.locator('.opblock').count()).toBe(operations.length);
    for (const { method, path, summary } of operations) {
      const block = operation(page, method, path);
      expect(await block.count(), `${method} ${path}`).toBe(1);
      expect(await block.locator('.opblock-summary-description').innerText()).toBe(summary);
    }
  });

  it('Authorize, then Try it out → Execute on GET /v2/policy/list: 200 with the policies', async () => {
    const page = browser!.page;
    const listUrl = `${mock!.url}/v2/policy/list`;
    const expected = (await (await fetch(listUrl, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as Array<{ id: string }>;
    expect(expected.length).toBeGreaterThan(0);

    const sent = page.waitForRequest(listUrl);
    await authorize(page, TOKEN);
    await executeList(page);
    expect((await sent).headers().authorization).toBe(`Bearer ${TOKEN}`);

    const response = operation(page, 'GET', '/v2/policy/list').locator('.live-responses-table tr.response');
    expect(await response.locator('.response-col_status').innerText()).toBe('200');
    const shown = JSON.parse(await response.locator('.highlight-code code').first().innerText()) as Array<{ id: string }>;
    expect(shown.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    expect(await response.innerText()).toContain(expected[0]!.id);
  });

  it('the Authorize dialog asks for one token; create tried out as it comes answers 200 with the new id', async () => {
    const page = browser!.page;
    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    // Already authorized by the test above: one scheme, one Logout.
    expect(await dialog.locator('.auth-container').count()).toBe(1);
    await dialog.locator('button.close-modal').click();
    await execute(page, 'POST', '/v2/policy/create');
    const response = operation(page, 'POST', '/v2/policy/create').locator('.live-responses-table tr.response');
    expect(await response.locator('.response-col_status').innerText()).toBe('200');
    const id = (await response.locator('.highlight-code code, pre').first().innerText()).trim();
    const list = (await (await fetch(`${mock!.url}/v2/policy/list`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()) as Array<{
      id: string;
    }>;
    expect(list.map((p) => p.id)).toContain(id);
  });

  it('every operation, tried out as the page fills it in (one token, the served examples), answers 200', async () => {
    const page = browser!.page;
    const statuses: Record<string, string> = {};
    // In the page's order, as a user clicking down it would; create was tried above.
    for (const { method, path } of operations) {
      await execute(page, method, path);
      const response = operation(page, method, path).locator('.live-responses-table tr.response');
      statuses[`${method} ${path}`] = await response.locator('.response-col_status').innerText();
    }
    expect(statuses).toEqual(Object.fromEntries(operations.map(({ method, path }) => [`${method} ${path}`, '200'])));
  });

  it('every request of the page stayed on 127.0.0.1, and none failed', () => {
    expect(requests).toEqual(expect.arrayContaining([`${mock!.url}/openapi.json`, `${mock!.url}/v2/policy/list`]));
    expect(requests.filter((url) => !staysLocal(url))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
