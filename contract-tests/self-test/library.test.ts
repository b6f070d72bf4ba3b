import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract, type RunContractOptions } from '../index.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

// The public entry, used as another team's test would: only ../index.js.
const base: RunContractOptions = { token: REFERENCE_TOKEN, profile: REFERENCE_PROFILE, fuzzRuns: 0, seed: 424242 };

/** A loopback port nothing listens on (taken from the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('runContract, the library entry', { timeout: 90_000 }, () => {
  let correct: ReferenceServer;
  let broken: ReferenceServer;
  beforeAll(async () => {
    correct = await startReferenceServer({ token: REFERENCE_TOKEN });
    broken = await startReferenceServer({ fault: 'update_ignored', token: REFERENCE_TOKEN });
  });
  afterAll(() => Promise.all([correct.close(), broken.close()]));

  it('resolves to a typed verdict per rule for a conforming target, without the token anywhere', async () => {
    const result = await runContract({ ...base, baseUrl: correct.url });
    expect(result).toMatchObject({ verdict: 'conforms', exitCode: 0, baseUrl: correct.url, seed: 424242 });
    expect(result.rules.find((r) => r.id === 'lifecycle')).toMatchObject({ state: 'passed', failures: [] });
    expect(result.rules.find((r) => r.id === 'ignored_auth')).toMatchObject({
      state: 'skipped',
      reason: expect.stringContaining('auth is not expected'),
    });
    expect(result.counts).toEqual({ passed: 11, failed: 0, skipped: 3, waived: 0, total: 14 });
    expect(result.cleanup.leftover).toEqual([]);
    expect(correct.policyIds()).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(REFERENCE_TOKEN);
  });

  it('names each failure with request, expected, actual and a curl line that uses $CONTRACT_TOKEN', async () => {
    const result = await runContract({ ...base, baseUrl: broken.url });
    expect(result).toMatchObject({ verdict: 'does-not-conform', exitCode: 1 });
    const lifecycle = result.rules.find((r) => r.id === 'lifecycle');
    expect(lifecycle?.state).toBe('failed');
    const failure = lifecycle?.failures.find((f) => f.operationId === 'policy_update');
    expect(failure?.request).toMatchObject({ method: 'POST', url: `${broken.url}/v2/policy/update` });
    expect(failure?.request?.headers.Authorization).toBe('Bearer $CONTRACT_TOKEN');
    expect(failure?.expected).toBeTruthy();
    expect(failure?.actual).toBeTruthy();
    expect(failure?.curl).toContain('-H "Authorization: Bearer $CONTRACT_TOKEN"');
    expect(JSON.stringify(result)).not.toContain(REFERENCE_TOKEN);
  });

  it('needs a base URL: it never starts our mock unless asked', async () => {
    const result = await runContract({ ...base });
    expect(result).toMatchObject({ verdict: 'setup-error', exitCode: 2, requests: 0 });
    expect(result.setupError).toMatch(/a base URL is required/);
    expect(result.rules.every((r) => r.state === 'skipped')).toBe(true);
  });

  it('waits for a target that starts late (waitForTargetMs), and gives up on one that never answers', async () => {
    const port = await freePort();
    let late: ReferenceServer | undefined;
    const starting = new Promise<void>((resolve) =>
      setTimeout(() => void startReferenceServer({ token: REFERENCE_TOKEN, port }).then((s) => ((late = s), resolve())), 600),
    );
    try {
      const result = await runContract({ ...base, baseUrl: `http://127.0.0.1:${port}`, waitForTargetMs: 10_000, rules: ['unknown_id'] });
      expect(result.verdict).toBe('conforms');
    } finally {
      await starting;
      await late?.close();
    }
    const never = await runContract({ ...base, baseUrl: `http://127.0.0.1:${await freePort()}`, waitForTargetMs: 700 });
    expect(never).toMatchObject({ verdict: 'setup-error', exitCode: 2 });
    expect(never.setupError).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.7 s/);
  });
});
