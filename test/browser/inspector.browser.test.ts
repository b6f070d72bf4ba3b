import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockLocals } from '../../src/app.js';
import { launchChromium, startDocsMock, type Chromium, type DocsMock } from '../../scripts/docs-harness.js';

// /__admin/ui in a real browser, guarded by an admin token: it asks for the token once, shows
// the cluster, the policies, the requests and the coverage as they change, and its controls work.

const ADMIN_TOKEN = 'inspector-admin-token';
const API = { Authorization: 'Bearer api-token', 'Content-Type': 'application/json' };
const CLUSTER = '4247584f-b16a-42f7-8cc5-69c34a72638d';
const create = (mock: DocsMock, body: unknown) =>
  fetch(`${mock.url}/v2/policy/create`, { method: 'POST', headers: API, body: JSON.stringify(body) });
const staysLocal = (url: string) => ['data:', 'blob:'].includes(new URL(url).protocol) || new URL(url).hostname === '127.0.0.1';

let mock: DocsMock | undefined;
let browser: Chromium | undefined;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  // A tick an hour: the test steps the simulation itself.
  mock = await startDocsMock({ adminToken: ADMIN_TOKEN, simulate: { tickMs: 3_600_000 } });
  browser = await launchChromium({ width: 1360, height: 900 });
  browser.page.setDefaultTimeout(15_000);
  browser.context.on('request', (r) => requests.push(r.url()));
  browser.context.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  browser.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  browser.page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  await browser.page.goto(`${mock.url}/__admin/ui`);
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

const tab = async (name: string) => {
  await browser!.page.locator(`#tabs button[data-tab="${name}"]`).click();
  await browser!.page.locator(`#${name}.view.active`).waitFor();
};

describe('/__admin/ui in Chromium', () => {
  it('asks for the admin token once, then shows the cluster of the store', async () => {
    const page = browser!.page;
    expect(page.url()).toBe(`${mock!.url}/__admin/ui/`);
    await page.locator('#token-dialog[open]').waitFor();
    await page.locator('#token-input').fill(ADMIN_TOKEN);
    await page.locator('#token-form button').click();
    await page.locator('.pod').nth(10).waitFor();
    const { store } = mockLocals(mock!.app);
    expect(await page.locator('#cluster-tree .pod').count()).toBe(store.data.pods.length);
    expect(await page.locator('#cluster-tree .namespace').count()).toBe(store.data.namespaces.length);
    // Reloaded, the page remembers the token.
    await page.reload();
    await page.locator('#cluster-tree .pod').first().waitFor();
    expect(await page.locator('#token-dialog[open]').count()).toBe(0);
  });

  it('shows a simulation step in the cluster view', async () => {
    const page = browser!.page;
    const { store, simulation } = mockLocals(mock!.app);
    const shown = () =>
      page
        .locator('#cluster-tree .pod')
        .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-pod')}=${e.getAttribute('data-status')}`).sort());
    const inStore = () => store.data.pods.map((p) => `${p.id}=${p.status}`).sort();
    expect(await shown()).toEqual(inStore());
    const before = inStore();
    for (let i = 0; i < 3; i++) simulation!.step();
    expect(inStore()).not.toEqual(before);
    await expect.poll(shown, { timeout: 10_000 }).toEqual(inStore());
    expect(await page.locator('#live').innerText()).toContain('tick 3');
  });

  it('a create made over the API appears in the requests and the policies views; a refused one shows why, and copies as curl', async () => {
    const page = browser!.page;
    const created = await create(mock!, {
      cluster_id: CLUSTER,
      heartbeat_time: 300,
      resource: 'namespace',
      resource_ids: ['c7bc5ebe-67ea-483f-b8c3-6682a03be96d'],
      resource_name: 'from-the-test',
    });
    const id = (await created.text()).trim();
    expect(created.status).toBe(200);
    await create(mock!, { cluster_id: CLUSTER, resource: 'pods' });

    await tab('requests');
    const rows = page.locator('#requests-table tbody tr[data-seq]');
    await expect.poll(() => rows.count()).toBe(2);
    // Newest first.
    expect(await rows.nth(0).getAttribute('data-status')).toBe('400');
    expect(await rows.nth(1).getAttribute('data-status')).toBe('200');
    await rows.nth(0).click();
    const detail = page.locator('#requests-table tr.detail:not([hidden])');
    expect(await detail.innerText()).toContain('400 ApiError: heartbeat_time is required; resource_ids is required');
    expect(await detail.locator('li').allInnerTexts()).toEqual(['/body/heartbeat_time is required', '/body/resource_ids is required']);
    const curl = await detail.locator('.curl').innerText();
    expect(curl).toBe(
      `curl -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"cluster_id":"${CLUSTER}","resource":"pods"}' '${mock!.url}/v2/policy/create'`,
    );
    expect(curl).not.toContain('api-token');
    // Filtered by status.
    await page.locator('#filter-status').selectOption('2');
    expect(await rows.count()).toBe(1);
    await page.locator('#filter-status').selectOption('*');

    await tab('policies');
    const row = page.locator(`#policies-table tr[data-policy="${id}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('from-the-test');
    const pods = mockLocals(mock!.app).store.data.pods.filter((p) => p.namespaceId === 'c7bc5ebe-67ea-483f-b8c3-6682a03be96d');
    expect(await row.locator('.pods-now b').innerText()).toBe(String(pods.length));
    // Click-through: the policy's pods, outlined in the cluster view.
    await row.locator('button').click();
    await page.locator('#cluster.view.active').waitFor();
    const marked = await page.locator('#cluster-tree .pod.marked').evaluateAll((els) => els.map((e) => e.getAttribute('data-pod')).sort());
    expect(marked).toEqual(pods.map((p) => p.id).sort());
  });

  it('coverage marks a status once this client was sent it', async () => {
    const page = browser!.page;
    await tab('coverage');
    const chip = page.locator('#coverage-table tr[data-operation="policy_jobs"] .status-chip[data-status="404"]');
    await chip.waitFor();
    expect(await chip.getAttribute('data-received')).toBe('0');
    await fetch(`${mock!.url}/v2/policy/ef649e3e-1d12-4ec0-bb07-b7f131315f08/jobs`, { headers: API });
    await expect.poll(() => chip.getAttribute('data-received')).toBe('1');
    expect(await chip.getAttribute('class')).toContain('hit');
    expect(await page.locator('#refusals li').first().innerText()).toContain('policy_jobs');
  });

  it('a control change takes effect: a fault rate of 1 makes create answer its declared 500', async () => {
    const page = browser!.page;
    await tab('controls');
    await page.locator('#fail-rate').fill('1');
    await page.locator('#controls-form button').click();
    await expect.poll(() => page.locator('#controls-status').innerText()).toContain('fail rate 1');
    expect((await create(mock!, { cluster_id: CLUSTER, heartbeat_time: 1, resource_ids: [] })).status).toBe(500);
    await page.locator('#fail-rate').fill('');
    await page.locator('#controls-form button').click();
    await expect.poll(() => page.locator('#controls-status').innerText()).toContain('fail rate 0');
    expect((await create(mock!, { cluster_id: CLUSTER, heartbeat_time: 1, resource_ids: [] })).status).toBe(200);
    // A bad value is refused, with the reason shown.
    await page.locator('#fail-rate').fill('3');
    await page.locator('#controls-form button').click();
    await expect.poll(() => page.locator('#controls-status').innerText()).toContain('/body/failRate/all must be a rate from 0 to 1');
  });

  it('uploads a snapshot: a bad one is refused with its problems shown, a good one replaces the store', async () => {
    const page = browser!.page;
    const { store } = mockLocals(mock!.app);
    const good = structuredClone(store.data);
    const bad = structuredClone(good);
    bad.policies[0]!.resourceIds = ['00000000-0000-4000-8000-000000000001'];
    await page
      .locator('#upload')
      .setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await expect.poll(() => page.locator('#controls-status').innerText()).toContain('/policies/0/resourceIds/0 no ');
    good.policies = good.policies.slice(0, 1);
    await page
      .locator('#upload')
      .setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await expect.poll(() => page.locator('#controls-status').innerText()).toBe('state imported');
    expect(store.policyCount).toBe(1);
  });

  it('every request of the page stayed on 127.0.0.1, and nothing went wrong in it', () => {
    expect(requests.some((u) => u.endsWith('/__admin/version'))).toBe(true);
    expect(requests.filter((url) => !staysLocal(url))).toEqual([]);
    // The refused control value and snapshot (400s) are the only errors Chromium reports (as failed resources).
    expect(problems.filter((p) => !p.includes('400 (Bad Request)'))).toEqual([]);
  });
});
