import { afterAll, describe, expect, it } from 'vitest';
import { renderRuleFailures } from '../report/console-report.js';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type Fault, type ReferenceServer, type Variant } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

const COMPARE_TOKEN = 'compare-secret-token';
const servers: ReferenceServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

async function compare(fault: Fault | undefined, compareAuth?: boolean, options: { variant?: Variant; compareStrict?: boolean } = {}) {
  const target = await startReferenceServer({ token: REFERENCE_TOKEN });
  const other = await startReferenceServer({ fault, token: COMPARE_TOKEN, variant: options.variant });
  servers.push(target, other);
  const report = await runAllRules({
    baseUrl: target.url,
    token: REFERENCE_TOKEN,
    profile: REFERENCE_PROFILE,
    expectAuth: true,
    compareAuth,
    compareStrict: options.compareStrict,
    fuzzRuns: 0,
    seed: 424242,
    rules: ['differential_agreement'],
    compare: { baseUrl: other.url, token: COMPARE_TOKEN, profile: REFERENCE_PROFILE },
  });
  return { report, left: [...target.policyIds(), ...other.policyIds()] };
}

describe('--compare-with: the same generated sequences against two implementations', { timeout: 60_000 }, () => {
  it('finds no difference between two correct servers', async () => {
    const { report, left } = await compare(undefined);
    expect(report.results.find((r) => r.rule === 'differential_agreement')?.state).toBe('passed');
    expect(report.conforms).toBe(true);
    expect(left).toEqual([]);
  });

  // The README's `npm run contract -- --compare-with URL`: our in-process mock requires the suite's
  // token; a server that takes any token differs there only when --expect-auth asked about tokens.
  it('compares token refusals only when asked to (--expect-auth)', async () => {
    expect((await compare('any_token_accepted')).report.conforms).toBe(true);
    const asked = await compare('any_token_accepted', true);
    expect(asked.report.failedRules).toEqual(['differential_agreement']);
    expect(renderRuleFailures(asked.report.results.find((r) => r.rule === 'differential_agreement')!)).toMatch(/token/);
  });

  it.each<[Fault, RegExp]>([
    ['pod_missing_status', /\/\[\]\/status: string {3}\(target only\)/],
    ['create_overwrites_taken_id', /status and media type: 400 application\/json → 200 text\/plain/],
    ['errors_as_text_plain', /text\/plain/],
  ])('reports where a server with %s behaves differently, shrunk, field by field', async (fault, what) => {
    const { report, left } = await compare(fault);
    expect(report.failedRules).toEqual(['differential_agreement']);
    const text = renderRuleFailures(report.results.find((r) => r.rule === 'differential_agreement')!);
    expect(text).toContain('the targets answered differently');
    expect(text).toMatch(/answer \d+:/);
    expect(text).toMatch(what);
    expect(text).toContain('$CONTRACT_COMPARE_TOKEN');
    expect(text).not.toContain(COMPARE_TOKEN);
    expect(text).not.toContain(REFERENCE_TOKEN);
    expect(left).toEqual([]);
  });

  // Issue 18 §3: what the contract leaves open is no difference, unless --compare-strict.
  it.each<[string, { fault?: Fault; variant?: Variant }, RegExp]>([
    ['extra properties in list and /pods', { variant: 'extra_response_fields' }, /created_by|restarts/],
    ['an error code that is not the status', { fault: 'error_code_not_status' }, /code/],
  ])('finds no difference for %s, and --compare-strict does', async (_what, { fault, variant }, strictly) => {
    const relaxed = await compare(fault, undefined, { variant });
    const result = relaxed.report.results.find((r) => r.rule === 'differential_agreement')!;
    expect(result.state, renderRuleFailures(result)).toBe('passed');
    const strict = await compare(fault, undefined, { variant, compareStrict: true });
    expect(strict.report.failedRules).toEqual(['differential_agreement']);
    expect(renderRuleFailures(strict.report.results.find((r) => r.rule === 'differential_agreement')!)).toMatch(strictly);
  });
});
