import { describe, expect, it } from 'vitest';
import type { RuleId } from '../rules/index.js';
import { AUTH_FAULTS, AUTH_VARIANTS } from './faults/auth-faults.js';
import type { Divergence } from './faults/fault-proxy.js';
import { runAgainstDivergent } from './faults/run-divergent.js';

interface ClassCase {
  name: string;
  divergence: Divergence;
  rule: RuleId;
  alsoFails?: RuleId[];
}

const faults = (cases: Record<string, Divergence>, rule: RuleId, alsoFails: RuleId[] = []): ClassCase[] =>
  Object.entries(cases).map(([name, divergence]) => ({ name, divergence, rule, alsoFails }));
const variants = (cases: Record<string, Divergence>) => Object.entries(cases).map(([name, divergence]) => ({ name, divergence }));

/** Issue 18 §4: one fault per class of input that fixed inputs never tried. */
const FAULTS: ClassCase[] = [...faults(AUTH_FAULTS, 'ignored_auth')];
const VARIANTS = [...variants(AUTH_VARIANTS)];

describe('the contract suite against a fault of each class of input it used not to try', { timeout: 120_000 }, () => {
  it.concurrent.each(FAULTS)('fails $name, naming $rule', async ({ divergence, rule, alsoFails = [] }) => {
    const { report, leftOnServer } = await runAgainstDivergent(divergence);
    expect([...report.failedRules].sort()).toEqual([rule, ...alsoFails].sort());
    expect(report.table).toMatch(new RegExp(`^${rule}\\s+FAIL`, 'm'));
    expect(report.cleanup.leftover).toEqual([]);
    expect(leftOnServer.sort()).toEqual([...report.cleanup.unexplained].sort());
  });
});

describe('the contract suite against servers that differ only as the contract allows', { timeout: 120_000 }, () => {
  it.concurrent.each(VARIANTS)('passes $name', async ({ divergence }) => {
    const { report } = await runAgainstDivergent(divergence);
    expect(report.results.flatMap((r) => r.failures.map((f) => `${f.rule} ${f.operationId}: ${f.expected}`))).toEqual([]);
    expect(report.conforms).toBe(true);
  });
});
