import { describe, expect, it } from 'vitest';
import { renderReport } from '../report/console-report.js';
import { resultOf } from '../report/contract-result.js';
import { renderHtmlReport } from '../report/html-report.js';
import { renderJunit } from '../report/junit.js';
import { ERRORS_WITHOUT_CODE } from './faults/error-code-faults.js';
import { runAgainstDivergent } from './faults/run-divergent.js';
import { runAgainstReference } from './run-against-reference.js';

// Issue 18 §1: where each expectation comes from, failures filed under what they are, --level spec.
const CHEAP = { modelRuns: 20 } as const;
const SEMANTICS_LINE = 'basis:    semantics — docs/api.md (the spec: ApiError.code, "HTTP status code"): "`code` the status as a string"';

describe('each expectation says where it comes from, and --level spec holds a target to the spec alone', { timeout: 120_000 }, () => {
  it.concurrent('errors without a code (a 401 {message} included) conform: ApiError requires only message', async () => {
    const { report } = await runAgainstDivergent(ERRORS_WITHOUT_CODE, CHEAP);
    expect(report.results.flatMap((r) => r.failures.map((f) => `${f.rule} ${f.operationId}: ${f.expected}`))).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  it.concurrent('a code that is not the status fails error_code_is_status alone, labelled semantics in every report', async () => {
    const { report } = await runAgainstReference('error_code_not_status', { ...CHEAP, fuzzRuns: 0 });
    expect(report.failedRules).toEqual(['error_code_is_status']);
    expect(renderReport(report)).toContain(SEMANTICS_LINE);
    expect(renderJunit(report)).toContain('basis:    semantics — docs/api.md');
    expect(renderHtmlReport(report)).toContain('semantics — docs/api.md');
    const rule = resultOf(report).rules.find((r) => r.id === 'error_code_is_status');
    expect(rule?.failures[0]?.basis).toEqual({
      source: 'semantics',
      says: 'docs/api.md (the spec: ApiError.code, "HTTP status code"): "`code` the status as a string"',
    });
  });

  it.concurrent('at --level spec the same target conforms: the semantics rule is skipped, saying why', async () => {
    const { report } = await runAgainstReference('error_code_not_status', { ...CHEAP, fuzzRuns: 0, level: 'spec' });
    expect(report.conforms).toBe(true);
    const skipped = report.results.filter((r) => r.state === 'skipped' && r.reason?.startsWith('level spec')).map((r) => r.rule);
    expect(skipped).toEqual(
      expect.arrayContaining([
        'error_code_is_status',
        'lifecycle',
        'use_after_free',
        'unknown_id',
        'cross_endpoint_consistency',
        'model_conformance',
      ]),
    );
    expect(skipped).not.toContain('response_schema_conformance');
  });

  it.concurrent('a fault of the documented meaning only (update ignored) fails at full and passes at --level spec', async () => {
    const full = await runAgainstReference('update_ignored', { ...CHEAP, fuzzRuns: 0 });
    expect([...full.report.failedRules].sort()).toEqual(['lifecycle', 'model_conformance', 'positive_data_acceptance']);
    const read = full.report.results.find((r) => r.rule === 'positive_data_acceptance')?.failures[0];
    expect(read?.basis?.source).toBe('semantics'); // the heartbeat read back, in a spec rule: labelled by its check
    const spec = await runAgainstReference('update_ignored', { ...CHEAP, fuzzRuns: 0, level: 'spec' });
    expect(spec.report.failedRules).toEqual([]);
  });

  it.concurrent('a fault of the spec (a pod without its required status) fails at both levels, labelled spec', async () => {
    const { report } = await runAgainstReference('pod_missing_status', { ...CHEAP, fuzzRuns: 0, level: 'spec' });
    expect(report.failedRules).toContain('response_schema_conformance');
    expect(renderReport(report)).toContain('basis:    spec (the OpenAPI document)');
  });
});
