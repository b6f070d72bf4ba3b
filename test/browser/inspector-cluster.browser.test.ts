import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockLocals } from '../../src/app.js';
import { launchChromium, startDocsMock, type Chromium, type DocsMock } from '../../scripts/docs-harness.js';

// The cluster view of a large store: folded namespaces, a search, and a picked policy's pods that
// stand out.

let mock: DocsMock | undefined;
let browser: Chromium | undefined;

beforeAll(async () => {
  mock = await startDocsMock({ sizes: { pods: 5000 } });
  browser = await launchChromium({ width: 1360, height: 900 });
  browser.page.setDefaultTimeout(20_000);
  await browser.page.goto(`${mock.url}/__admin/ui/#cluster`);
  await browser.page.locator('#cluster-tree .namespace').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

describe('the cluster view at 5,000 pods', () => {
  it('starts with every namespace folded, and draws a namespace’s pods when it is opened', async () => {
    const page = browser!.page;
    const { store } = mockLocals(mock!.app);
    expect(await page.locator('#cluster-tree .namespace').count()).toBe(store.data.namespaces.length);
    expect(await page.locator('#cluster-tree .namespace[open]').count()).toBe(0);
    expect(await page.locator('#cluster-tree .pod').count()).toBe(0);
    const first = store.data.namespaces[0]!;
    await page.locator(`#cluster-tree .namespace[data-namespace="${first.name}"] > summary`).click();
    const drawn = await page.locator(`#cluster-tree .namespace[data-namespace="${first.name}"] .pod`).count();
    expect(drawn).toBe(store.data.pods.filter((p) => p.namespaceId === first.id).length);
    // A job folds on its own.
    const job = page.locator(`#cluster-tree .namespace[data-namespace="${first.name}"] .job`).first();
    await job.locator('summary').click();
    expect(await job.getAttribute('open')).toBeNull();
  });

  it('a search shows only what matches, opened', async () => {
    const page = browser!.page;
    const { store } = mockLocals(mock!.app);
    const job = store.data.jobs[3]!;
    await page.locator('#cluster-search').fill(job.name);
    await expect.poll(() => page.locator(`#cluster-tree .job[data-job="${job.id}"]`).count()).toBe(1);
    const shownJobs = await page.locator('#cluster-tree .job').evaluateAll((els) => els.map((e) => e.querySelector('.name')!.textContent));
    for (const name of shownJobs) expect(name).toContain(job.name);
    expect(await page.locator(`#cluster-tree .job[data-job="${job.id}"] .pod`).count()).toBe(
      store.data.pods.filter((p) => p.jobId === job.id).length,
    );
    await page.locator('#cluster-search').fill('');
    await expect.poll(() => page.locator('#cluster-tree .namespace[open]').count()).toBeLessThan(store.data.namespaces.length);
  });

  it('"show pods" opens where the policy’s pods are and rings them so they stand out', async () => {
    const page = browser!.page;
    await page.locator('#tabs button[data-tab="policies"]').click();
    await page.locator('#policies.view.active').waitFor();
    await page.getByRole('button', { name: 'show pods →' }).first().click();
    await page.locator('#cluster.view.active').waitFor();
    const marked = page.locator('#cluster-tree .pod.marked');
    expect(await marked.count()).toBeGreaterThan(0);
    // Evaluated in the page (a string: this file is typed for Node, not the DOM).
    const ring = await page.evaluate<{ outline: number; halo: string }>(
      "(() => { const css = getComputedStyle(document.querySelector('#cluster-tree .pod.marked')); return { outline: parseFloat(css.outlineWidth), halo: css.boxShadow }; })()",
    );
    expect(ring.outline).toBeGreaterThanOrEqual(3);
    expect(ring.halo).not.toBe('none');
  });
});
