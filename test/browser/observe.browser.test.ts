import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractProfile } from '../../contract-tests/config.js';
import { observe, type ObserveHandle } from '../../contract-tests/observe/observe.js';
import { REFERENCE_PROFILE } from '../../contract-tests/self-test/reference-data.js';
import { startReferenceServer, type ReferenceServer } from '../../contract-tests/self-test/reference-server.js';
import { launchChromium, type Chromium } from '../../scripts/docs-harness.js';
import { startServer, type RunningServer } from '../../src/server.js';

// Observe mode under a real page: a small app in Chromium talks to the backend through the proxy,
// as a frontend's e2e run would. Against our mock nothing is wrong; against a backend whose list
// miscounts a jobs policy's pods, the page's own traffic shows it.

const TOKEN = 'observe-browser-token-4411';
const MOCK_PROFILE = JSON.parse(readFileSync(new URL('../../fixtures/contract-profile.json', import.meta.url), 'utf8')) as ContractProfile;

/** The app: what a policies screen does. Runs in the page, against `api` (the proxy). */
async function policiesScreen(args: { api: string; token: string; profile: ContractProfile }): Promise<number[]> {
  const { api, token, profile } = args;
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const statuses: number[] = [];
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}/v2/policy${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    statuses.push(res.status);
    return res.text();
  };
  await call('GET', '/list');
  const jobs = await call('POST', '/create', {
    cluster_id: profile.clusterId,
    heartbeat_time: 300,
    resource: 'jobs',
    resource_ids: [],
    job_filter: profile.jobFilter,
  });
  const namespace = await call('POST', '/create', {
    cluster_id: profile.clusterId,
    heartbeat_time: 120,
    resource: 'namespace',
    resource_ids: [profile.namespaceIds[0]],
  });
  await call('GET', '/list');
  await call('GET', `/${jobs.trim()}/pods`);
  await call('GET', `/${jobs.trim()}/jobs`);
  await call('GET', `/${namespace.trim()}/pods`);
  await call('POST', '/update', {
    id: namespace.trim(),
    cluster_id: profile.clusterId,
    heartbeat_time: 60,
    resource: 'namespace',
    resource_ids: [profile.namespaceIds[0]],
  });
  await call('GET', '/list');
  await call('POST', '/sync-jobs');
  await call('GET', `/${jobs.trim()}/job-status`);
  for (const id of [jobs, namespace]) await call('DELETE', '/delete', { id: id.trim() });
  await call('GET', '/list');
  return statuses;
}

describe('observe mode, between a page in Chromium and a backend', () => {
  let browser: Chromium | undefined;
  let mock: RunningServer | undefined;
  let faulty: ReferenceServer | undefined;
  const proxies: ObserveHandle[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    mock = await startServer({ port: 0, auth: { token: TOKEN } });
    faulty = await startReferenceServer({ token: TOKEN, fault: 'pod_count_off_by_one' });
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await browser?.close();
    await mock?.close();
    await faulty?.close();
  });

  /** Serves the app's page at the proxy's own origin (no CORS in the way) and runs the screen in it. */
  async function runScreen(upstream: string, profile: ContractProfile) {
    const proxy = await observe({ upstream, port: 0, token: TOKEN });
    proxies.push(proxy);
    const page = browser!.page;
    await page.route(`${proxy.url}/app`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>policies</title>' }),
    );
    await page.goto(`${proxy.url}/app`);
    const statuses = await page.evaluate(policiesScreen, { api: proxy.url, token: TOKEN, profile });
    return { statuses, result: proxy.results() };
  }

  it('finds nothing wrong with our mock: every exchange judged, no violation, no client finding', async () => {
    const { statuses, result } = await runScreen(mock!.url, MOCK_PROFILE);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(result.requests).toBe(statuses.length);
    expect(result.rules.filter((r) => r.state === 'failed').map((r) => r.id)).toEqual([]);
    expect(result.clientFindings).toEqual([]);
    expect(result.verdict).toBe('conforms');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('names cross_endpoint_consistency when list miscounts the pods /pods shows', async () => {
    const { result } = await runScreen(faulty!.url, REFERENCE_PROFILE);
    expect(result.verdict).toBe('does-not-conform');
    expect(result.rules.filter((r) => r.state === 'failed').map((r) => r.id)).toEqual(['cross_endpoint_consistency']);
  });
});
