// `npx tsx scripts/screenshot-inspector.ts`: docs/inspector-*.png, the README's pictures of
// /__admin/ui. The mock starts in-process (default seed, simulating), a client makes a few calls
// (one of them refused, one in a session), then Chromium shows each view.
import { mkdirSync } from 'node:fs';
import { launchChromium, startDocsMock } from './docs-harness.js';
import { fromRoot } from './paths.js';

const mock = await startDocsMock({ simulate: { tickMs: 700 } });
const call = (path: string, init: RequestInit = {}) =>
  fetch(`${mock.url}${path}`, {
    ...init,
    headers: { Authorization: 'Bearer dev-token', 'Content-Type': 'application/json', ...init.headers },
  });
try {
  const cluster = '4247584f-b16a-42f7-8cc5-69c34a72638d';
  await call('/v2/policy/list');
  await call('/v2/policy/create', {
    method: 'POST',
    body: JSON.stringify({
      cluster_id: cluster,
      heartbeat_time: 300,
      resource: 'namespace',
      resource_ids: ['c7bc5ebe-67ea-483f-b8c3-6682a03be96d'],
      resource_name: 'research-namespace',
    }),
  });
  await call('/v2/policy/create', { method: 'POST', body: JSON.stringify({ cluster_id: cluster, resource: 'pods' }) });
  await call('/v2/policy/ef649e3e-1d12-4ec0-bb07-b7f131315f08/pods');
  await call('/v2/policy/ef649e3e-1d12-4ec0-bb07-b7f131315f08/jobs');
  await call('/v2/policy/b95f0b03-67d0-4049-9fe7-06cd5bfe5ebd/job-status', { headers: { 'X-Mock-Session': 'e2e-worker-1' } });
  await call('/v2/policy/sync-jobs', { method: 'POST' });
  const browser = await launchChromium({ width: 1360, height: 860 });
  try {
    const { page } = browser;
    mkdirSync(fromRoot('docs'), { recursive: true });
    for (const tab of ['cluster', 'policies', 'requests', 'coverage', 'controls']) {
      await page.goto(`${mock.url}/__admin/ui/#${tab}`);
      await page.locator(`#${tab}.view.active`).waitFor();
      await page.waitForTimeout(2500);
      if (tab === 'requests') await page.locator('#requests-table tr[data-status="400"]').first().click();
      const out = fromRoot(`docs/inspector-${tab}.png`);
      // The controls fit in a strip; the other views fill the window.
      await page.screenshot({ path: out, ...(tab === 'controls' ? { clip: { x: 0, y: 0, width: 1360, height: 340 } } : {}) });
      console.log(`wrote ${out}`);
    }
  } finally {
    await browser.close();
  }
} finally {
  await mock.close();
}
