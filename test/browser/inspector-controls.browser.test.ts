import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startDocsMock, type Chromium, type DocsMock } from '../../scripts/docs-harness.js';

// The inspector's controls address the store picked at the top (a session's controls are its own)
// and set a fault rate per operation.

const CLUSTER = '4247584f-b16a-42f7-8cc5-69c34a72638d';
const BODY = JSON.stringify({ cluster_id: CLUSTER, heartbeat_time: 1, resource_ids: [] });
let mock: DocsMock | undefined;
let browser: Chromium | undefined;

const call = (path: string, session?: string, init: RequestInit = {}) =>
  fetch(`${mock!.url}${path}`, {
    ...init,
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', ...(session ? { 'X-Mock-Session': session } : {}) },
  });
const create = (session?: string) => call('/v2/policy/create', session, { method: 'POST', body: BODY });
const list = (session?: string) => call('/v2/policy/list', session);
const controls = async (session?: string) => (await call('/__admin/controls', session)).json() as Promise<{ failRate: unknown }>;

beforeAll(async () => {
  mock = await startDocsMock();
  browser = await launchChromium({ width: 1360, height: 900 });
  browser.page.setDefaultTimeout(15_000);
  expect((await list('worker-1')).status).toBe(200); // the session exists
  await browser.page.goto(`${mock.url}/__admin/ui/#controls`);
  await browser.page.locator('#controls.view.active').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

describe('inspector controls', () => {
  it('a fault rate for one operation, in the picked session only', async () => {
    const page = browser!.page;
    await expect.poll(() => page.locator('#session option[value="worker-1"]').count()).toBe(1);
    await page.locator('#session').selectOption('worker-1');
    await expect.poll(() => page.locator('#controls-scope').innerText()).toBe('session worker-1');
    await page.locator('#fail-op').selectOption('policy_create');
    await page.locator('#fail-op-rate').fill('1');
    await page.locator('#controls-form button').click();
    await expect.poll(() => page.locator('#controls-status').innerText()).toContain('policy_create 1');

    expect(await controls('worker-1')).toMatchObject({ failRate: { byOperation: { policy_create: 1 } } });
    expect((await controls()).failRate).toEqual({});
    expect((await create('worker-1')).status).toBe(500);
    expect((await list('worker-1')).status).toBe(200); // other operations untouched
    expect((await create()).status).toBe(200); // the default store untouched

    // Emptied, the operation's rate is gone.
    await page.locator('#fail-op-rate').fill('');
    await page.locator('#controls-form button').click();
    await expect.poll(async () => (await controls('worker-1')).failRate).toEqual({});
    expect((await create('worker-1')).status).toBe(200);
  });
});
