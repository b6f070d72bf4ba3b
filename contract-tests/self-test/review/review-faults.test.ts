import { describe, expect, it } from 'vitest';
import { expectSuiteNamesRule } from '../broken-server-cases.js';
import { runAgainstReference } from '../run-against-reference.js';
import { REVIEW_ALLOWED_VARIANTS, REVIEW_CAUGHT_CASES } from './review-cases.js';

describe('review: new single-fault servers the suite catches', { timeout: 90_000 }, () => {
  it.each(REVIEW_CAUGHT_CASES)('fails $fault ($what), naming $rule', expectSuiteNamesRule);
});

describe('review: allowed differences raise no false alarm', { timeout: 90_000 }, () => {
  it.each(REVIEW_ALLOWED_VARIANTS)('passes a server with variant %s', async (variant) => {
    const { report, leftOnServer } = await runAgainstReference(undefined, { variant, fuzzRuns: 20 });
    expect(report.results.flatMap((r) => r.failures.map((f) => `${f.rule} ${f.operationId}: ${f.expected}`))).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(leftOnServer).toEqual([]);
  });
});
