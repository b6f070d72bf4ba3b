import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../../contract-tests/index.js';
import { REFERENCE_PROFILE } from '../../contract-tests/self-test/reference-data.js';
import { startReferenceServer, type ReferenceServer } from '../../contract-tests/self-test/reference-server.js';
import { injecting, startHostileServer, type HostileServer } from '../../contract-tests/self-test/hostile-servers.js';
import { launchChromium, type Chromium } from '../../scripts/docs-harness.js';

// The contract suite's HTML report (--html) opened from file in real Chromium: what a reader sees,
// nothing fetched, and a hostile target's markup shown as text, never run.

const TOKEN = 'browser-report-token';
let dir: string;
let faulty: ReferenceServer | undefined;
let hostile: HostileServer | undefined;
let browser: Chromium | undefined;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'contract-report-browser-'));
  faulty = await startReferenceServer({ fault: 'update_ignored', token: TOKEN });
  hostile = await startHostileServer(injecting);
  browser = await launchChromium({ width: 1280, height: 900 });
  browser.page.setDefaultTimeout(15_000);
  browser.context.on('request', (r) => requests.push(r.url()));
  browser.page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  browser.page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`));
  browser.page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([faulty?.close(), hostile?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('the contract HTML report in Chromium', () => {
  it('shows the verdict, the rules × operations matrix and a failure with its diff and curl line', async () => {
    const htmlPath = join(dir, 'faulty.html');
    await runContract({ baseUrl: faulty!.url, token: TOKEN, profile: REFERENCE_PROFILE, fuzzRuns: 0, htmlPath });
    const page = browser!.page;
    await page.goto(pathToFileURL(htmlPath).href);
    expect(await page.title()).toBe(`Policy API contract: DOES NOT CONFORM · ${faulty!.url}`);
    const verdict = page.locator('#verdict');
    expect(await verdict.isVisible()).toBe(true);
    expect(await verdict.innerText()).toBe('DOES NOT CONFORM');
    // Red, as a reader takes it in at a glance.
    expect(await page.evaluate("getComputedStyle(document.getElementById('verdict')).backgroundColor")).toBe('rgb(207, 34, 46)');

    const matrix = page.locator('#matrix');
    expect(await matrix.isVisible()).toBe(true);
    expect(await matrix.locator('thead th').allInnerTexts()).toEqual(
      expect.arrayContaining(['rule', 'verdict', 'create', 'list', 'update', 'delete', 'pods', 'jobs']),
    );
    expect(await matrix.locator('tbody tr').count()).toBe(14);
    const lifecycle = matrix.locator('tr[data-rule="lifecycle"] td');
    expect((await lifecycle.allInnerTexts()).slice(1, 5)).toEqual(['FAIL', 'pass', '–', 'FAIL']);
    expect(await matrix.locator('tr[data-rule="ignored_auth"] td').nth(1).innerText()).toBe('skipped');

    // The FAIL cell links to the failure, which is on the page and readable.
    await lifecycle.nth(4).locator('a').click();
    expect(page.url()).toMatch(/#rule-lifecycle$/);
    const failure = page.locator('#rule-lifecycle article.failure').filter({ hasText: 'policy_update' }).first();
    expect(await failure.isVisible()).toBe(true);
    const text = await failure.innerText();
    expect(text).toContain(`POST ${faulty!.url}/v2/policy/update`);
    expect(text).toMatch(/expected\s+after update, list shows/);
    expect(await failure.locator('.diff .del').allInnerTexts()).toContain('-   "input": 900,');
    expect(await failure.locator('.diff .ins').allInnerTexts()).toContain('+   "input": 300,');
    expect(await failure.locator('pre.curl').innerText()).toContain('-H "Authorization: Bearer $CONTRACT_TOKEN"');
    expect(await page.content()).not.toContain(TOKEN);
  });

  it('a hostile target’s markup is text on the page: no script ran, no element or request came of it', async () => {
    const htmlPath = join(dir, 'hostile.html');
    await runContract({ baseUrl: hostile!.url, profile: REFERENCE_PROFILE, fuzzRuns: 0, htmlPath });
    const page = browser!.page;
    await page.goto(pathToFileURL(htmlPath).href);
    expect(await page.locator('#verdict').innerText()).toBe('DOES NOT CONFORM');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('script, img, a[href^="javascript"]').count()).toBe(0);
    expect(await page.locator('article.failure').first().innerText()).toContain('<script>window.__pwned = 1</script>');
  });

  it('loaded nothing but the report files, and nothing complained', () => {
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
