import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAllRules } from '../../contract-tests/runner.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { readFixture } from '../helpers/fixtures.js';

// The contract suite's verdict on our own mock, with every optional rule on (auth expected).
describe('the mock against the contract suite', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ auth: { token: 'conformance' } });
  });
  afterAll(() => server.close());

  it('conforms to every rule, auth included, and is left with only its seeded policies', async () => {
    const report = await runAllRules({
      baseUrl: server.url,
      token: 'conformance',
      profile: readFixture('contract-profile.json'),
      expectAuth: true,
      fuzzRuns: 30,
      seed: 7,
    });
    expect(report.failedRules, report.table).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(server.store.policies.map((p) => p.resource)).toEqual(['pods', 'namespace', 'jobs']);
  }, 120_000);
});
