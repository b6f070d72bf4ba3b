// The response cache is bounded in bytes for all stores together (issue 17, finding 6: 100
// namespace policies and one /pods read each added 1.2 GB of RSS at --pods 100000). A real
// process, RSS read from /proc.
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { mockLocals } from '../../src/app.js';
import { DEFAULT_CACHE_BYTES } from '../../src/http/pipeline/response-cache.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';
import { killAll, startCli } from '../helpers/spawn-mock.js';

afterAll(killAll);

const HEADERS = { Authorization: 'Bearer t', 'Content-Type': 'application/json' };

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
}

interface InspectedPolicy {
  resource: string;
  clusterId: string;
  resourceIds: string[];
}

describe('the response cache', () => {
  it('holds what all stores cache within its byte bound: 100 large /pods answers do not grow the process by their sum (over 500 MB)', async () => {
    const mock = await startCli(['--port', '0', '--pods', '100000', '--namespaces', '4', '--quiet']);
    const api = (path: string, init: RequestInit = {}) => fetch(`${mock.banner.url}/v2/policy${path}`, { headers: HEADERS, ...init });
    const policies = (await (await fetch(`${mock.banner.url}/__admin/policies`)).json()) as InspectedPolicy[];
    const namespacePolicy = policies.find((p) => p.resource === 'namespace')!;
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) {
      const created = await api('/create', {
        method: 'POST',
        body: JSON.stringify({
          resource: 'namespace',
          resource_name: `ns-${i}`,
          cluster_id: namespacePolicy.clusterId,
          resource_ids: namespacePolicy.resourceIds,
          heartbeat_time: 30,
        }),
      });
      expect(created.status, await created.clone().text()).toBe(200);
      ids.push(await created.text());
    }
    const before = await rssMb(mock.child.pid!);
    let largest = 0;
    for (const id of ids) {
      const pods = await api(`/${id}/pods`);
      expect(pods.status).toBe(200);
      largest = Math.max(largest, (await pods.arrayBuffer()).byteLength);
    }
    const after = await rssMb(mock.child.pid!);
    console.log(`/pods answer ${(largest / 1e6).toFixed(1)} MB; RSS ${before.toFixed(0)} MB -> ${after.toFixed(0)} MB`);
    // Each answer is over 5 MB: all 100 kept would be 500 MB and more.
    expect(largest).toBeGreaterThan(5_000_000);
    expect(after - before).toBeLessThan(400);
    // And the mock still answers.
    expect((await fetch(`${mock.banner.url}/__admin/health`)).status).toBe(200);
    await mock.stop();
  }, 120_000);
});

describe('the response cache, in process', () => {
  it('never holds more than its bound, keeps serving reads, and lets go of an ended session', async () => {
    const bound = 1024 ** 2;
    const mock = await mockApp({ cacheBytes: bound, sizes: { pods: 3000, namespaces: 4 } });
    const cache = mockLocals(mock.app).responseCache;
    const session = (name: string, path: string) => request(mock.app).get(path).set(AUTH).set('X-Mock-Session', name);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) {
      for (const path of ['/v2/policy/list', ...mock.store.policies.map((p) => `/v2/policy/${p.id}/pods`)]) {
        const first = await session(name, path);
        expect(first.status).toBe(200);
        // Sent again as the same bytes, whether it was kept or evicted since.
        expect((await session(name, path)).text).toBe(first.text);
        expect(cache.bytes).toBeLessThanOrEqual(bound);
      }
    }
    expect(cache.bytes).toBeGreaterThan(bound / 2);
    await request(mock.app).delete('/__admin/sessions');
    expect(cache.bytes).toBe(0);
    expect(DEFAULT_CACHE_BYTES).toBe(64 * 1024 ** 2);
  });
});
