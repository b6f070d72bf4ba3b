import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../rules/index.js';
import { runAgainstReference } from './run-against-reference.js';

describe('the contract suite against a correct server', { timeout: 60_000 }, () => {
  it('passes every rule, auth included, covers every operation, and leaves nothing behind', async () => {
    const { report, leftOnServer } = await runAgainstReference(undefined, { fuzzRuns: 40, expectAuth: true });
    const failures = report.results.flatMap((r) => r.failures.map((f) => `${f.rule} ${f.operationId}: ${f.expected}`));
    expect(failures).toEqual([]);
    expect(report.conforms).toBe(true);
    // Every rule but the differential one, which needs a second target.
    const ruleIds = RULE_IDS.filter((rule) => rule !== 'differential_agreement');
    expect(report.results.map((r) => [r.rule, r.state])).toEqual(expect.arrayContaining(ruleIds.map((rule) => [rule, 'passed'])));
    expect(report.coverage).toMatch(/^coverage: 15\/24 declared statuses observed/);
    expect(report.cleanup.leftover).toEqual([]);
    expect(report.cleanup.deleted).toBeGreaterThan(0);
    expect(leftOnServer).toEqual([]);
  });

  it('leaves alone, and reports, a policy someone else created on the same server during the run', async () => {
    const { report, leftOnServer } = await runAgainstReference(undefined, { fuzzRuns: 0, teammate: true });
    expect(report.conforms).toBe(true);
    expect(leftOnServer).toHaveLength(1);
    expect(report.cleanup.unexplained).toEqual(leftOnServer);
    expect(report.cleanup.leftover).toEqual([]);
  });

  it('reports ignored_auth as not run unless auth is expected', async () => {
    const { report } = await runAgainstReference(undefined, { fuzzRuns: 0, expectAuth: false });
    expect(report.conforms).toBe(true);
    expect(report.results.find((r) => r.rule === 'ignored_auth')?.state).toBe('skipped');
    expect(report.results.find((r) => r.rule === 'not_a_server_error')?.state).toBe('skipped');
    expect(report.table).toMatch(/^ignored_auth\s+-(\s+-){8}$/m);
  });
});
