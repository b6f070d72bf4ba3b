import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../index.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

describe('a profile the target does not match is a set-up error, not a contract failure', { timeout: 30_000 }, () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ token: REFERENCE_TOKEN });
  });
  afterAll(() => server.close());
  const run = (profile: typeof REFERENCE_PROFILE, baseUrl = server.url) =>
    runContract({ baseUrl, token: REFERENCE_TOKEN, profile, fuzzRuns: 0 });

  it('exits 2 naming the pod and job ids the target refused, and leaves nothing behind', async () => {
    const pod = randomUUID();
    const job = randomUUID();
    const result = await run({
      ...REFERENCE_PROFILE,
      podIds: [...REFERENCE_PROFILE.podIds, pod],
      jobIds: [job, ...REFERENCE_PROFILE.jobIds],
    });
    expect(result).toMatchObject({ verdict: 'setup-error', exitCode: 2 });
    expect(result.setupError).toContain(`pods ${pod}`);
    expect(result.setupError).toContain(`jobs ${job}`);
    expect(result.setupError).not.toContain(REFERENCE_PROFILE.podIds[0]);
    expect(server.policyIds()).toEqual([]);
  });

  it('exits 2 naming an unknown cluster', async () => {
    const cluster = randomUUID();
    const result = await run({ ...REFERENCE_PROFILE, clusterId: cluster });
    expect(result.exitCode).toBe(2);
    expect(result.setupError).toContain(`cluster ${cluster}`);
  });

  it('still fails the rules of a target that refuses every create (the profile is fine, the target is not)', async () => {
    const refusing = await startReferenceServer({ fault: 'refuses_every_create', token: REFERENCE_TOKEN });
    try {
      const result = await run(REFERENCE_PROFILE, refusing.url);
      expect(result).toMatchObject({ verdict: 'does-not-conform', exitCode: 1 });
      const failed = result.rules.filter((r) => r.state === 'failed').map((r) => r.id);
      expect(failed).toEqual(expect.arrayContaining(['positive_data_acceptance', 'lifecycle', 'cross_endpoint_consistency']));
    } finally {
      await refusing.close();
    }
  });
});
