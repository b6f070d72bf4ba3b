import { afterAll, describe, expect, it } from 'vitest';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type Fault, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

const servers: ReferenceServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function modelRun(fault: readonly Fault[], modelMaxFailures?: number) {
  const server = await startReferenceServer({ fault, token: REFERENCE_TOKEN });
  servers.push(server);
  const report = await runAllRules({
    baseUrl: server.url,
    token: REFERENCE_TOKEN,
    profile: REFERENCE_PROFILE,
    expectAuth: true,
    fuzzRuns: 0,
    seed: 424242,
    rules: ['model_conformance'],
    ...(modelMaxFailures !== undefined ? { modelMaxFailures } : {}),
  });
  const failures = report.results.find((r) => r.rule === 'model_conformance')?.failures ?? [];
  return { failures, left: server.policyIds() };
}

// Independent faults in different operations: one run shows each, shrunk, not only the first.
const FAULTS: readonly Fault[] = ['job_count_zero_for_non_jobs', 'malformed_id_404_on_pods', 'timestamp_frozen_on_update'];

describe('model_conformance reports several distinct failures in one run', { timeout: 120_000 }, () => {
  it('finds each of three independent faults, each with its own shortest sequence', async () => {
    const { failures, left } = await modelRun(FAULTS);
    const expected = failures.map((f) => f.expected);
    expect(expected).toEqual(
      expect.arrayContaining([
        'list job_count is null for a policy that is not a jobs policy',
        expect.stringMatching(/malformed/i),
        expect.stringMatching(/timestamp/),
      ]),
    );
    for (const f of failures) expect(f.actual).toMatch(/^shortest failing sequence: \d+ step\(s\)/);
    // Each distinct: no two report the same operation and expectation.
    expect(new Set(failures.map((f) => `${f.operationId} ${f.expected}`)).size).toBe(failures.length);
    expect(left).toEqual([]);
  });

  it('stops at --model-max-failures', async () => {
    const { failures } = await modelRun(FAULTS, 1);
    expect(failures).toHaveLength(1);
  });
});
