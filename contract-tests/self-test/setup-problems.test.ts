import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runContract } from '../index.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

const servers: ReferenceServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function reference(): Promise<ReferenceServer> {
  const server = await startReferenceServer({ token: REFERENCE_TOKEN });
  servers.push(server);
  return server;
}

/** The reference server until its first update request; from then on it takes requests and never answers. */
async function silentFromFirstUpdate(): Promise<ReferenceServer> {
  const behind = await reference();
  let silent = false;
  const server = createServer((req, res) => {
    if (req.url === '/v2/policy/update') silent = true;
    if (silent) return;
    const upstream = request(`${behind.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const proxy = {
    url,
    policyIds: () => behind.policyIds(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(proxy);
  return proxy;
}

describe('set-up problems end the run with exit 2 and one clear line, not rule failures', { timeout: 60_000 }, () => {
  it('a profile whose jobFilter matches no job of the target', async () => {
    const server = await reference();
    const jobFilter = { namespace: REFERENCE_PROFILE.jobFilter.namespace, priority: 987_654 };
    const result = await runContract({
      baseUrl: server.url,
      token: REFERENCE_TOKEN,
      profile: { ...REFERENCE_PROFILE, jobFilter },
      fuzzRuns: 0,
    });
    expect(result).toMatchObject({ verdict: 'setup-error', exitCode: 2 });
    expect(result.setupError).toMatch(
      /^the profile's jobFilter \{"namespace":"[^"]+","priority":987654\} matches none of the \d+ jobs of http/,
    );
    expect(result.report.split('\n')).toHaveLength(1);
    expect(server.policyIds()).toEqual([]);
  });

  it('a compare profile the compare target refuses, before any rule runs', async () => {
    const [target, other] = [await reference(), await reference()];
    const pod = randomUUID();
    const result = await runContract({
      baseUrl: target.url,
      token: REFERENCE_TOKEN,
      profile: REFERENCE_PROFILE,
      compareWith: other.url,
      compareProfile: { ...REFERENCE_PROFILE, podIds: [...REFERENCE_PROFILE.podIds, pod] },
      fuzzRuns: 0,
    });
    expect(result).toMatchObject({ verdict: 'setup-error', exitCode: 2 });
    expect(result.setupError).toBe(
      `${other.url} refused ids of the profile as unknown: pods ${pod}. Give ids that exist on that target (see "Writing a profile").`,
    );
    expect(result.requests).toBe(0);
    expect([...target.policyIds(), ...other.policyIds()]).toEqual([]);
  });

  it('a compare target that stops answering mid-run', async () => {
    const target = await reference();
    const other = await silentFromFirstUpdate();
    const result = await runContract({
      baseUrl: target.url,
      token: REFERENCE_TOKEN,
      profile: REFERENCE_PROFILE,
      compareWith: other.url,
      rules: ['differential_agreement'],
      fuzzRuns: 0,
      requestTimeoutMs: 1_000,
    });
    expect(result).toMatchObject({ verdict: 'setup-error', exitCode: 2 });
    expect(result.setupError).toBe(
      `the compare target ${other.url}: the target stopped answering: 3 requests in a row got no complete answer within the request timeout (1 s)`,
    );
    expect(result.rules.find((r) => r.id === 'differential_agreement')?.state).toBe('skipped');
    expect(target.policyIds()).toEqual([]);
  });
});
