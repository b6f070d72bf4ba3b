import { describe, expect, it } from 'vitest';
import { expectSuiteNamesRule } from '../broken-server-cases.js';
import { runAgainstReference } from '../run-against-reference.js';
import { JUDGE_ALLOWED_VARIANTS, JUDGE_CAUGHT_CASES } from './judge-cases.js';

describe('judge: new single-fault servers the suite catches', { timeout: 90_000 }, () => {
  it.each(JUDGE_CAUGHT_CASES)('fails $fault ($what), naming $rule', expectSuiteNamesRule);
});

describe('judge: allowed differences raise no false alarm', { timeout: 90_000 }, () => {
  it.each(JUDGE_ALLOWED_VARIANTS)('passes a server with variant %s', async (variant) => {
    const { report, leftOnServer } = await runAgainstReference(undefined, { variant, fuzzRuns: 20 });
    expect(report.results.flatMap((r) => r.failures.map((f) => `${f.rule} ${f.operationId}: ${f.expected}`))).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(leftOnServer).toEqual([]);
  });
});
