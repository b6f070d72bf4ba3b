import { describe, expect, it } from 'vitest';
import type { RuleId } from '../rules/index.js';
import { expectStraysReported } from './broken-server-cases.js';
import { AUTH_FAULTS, AUTH_VARIANTS } from './faults/auth-faults.js';
import type { Divergence } from './faults/fault-proxy.js';
import { runAgainstDivergent } from './faults/run-divergent.js';
import { BODY_FAULTS, BOM_FAULTS, BODY_VARIANTS, UNKNOWN_PROPERTY_FAULTS } from './faults/body-faults.js';
import { INTEGER_FAULTS, INTEGER_VARIANTS } from './faults/integer-faults.js';
import { REPEAT_VARIANTS } from './faults/repeat-variants.js';

type Make = Divergence | (() => Divergence);
const make = (d: Make): Divergence => (typeof d === 'function' ? d() : d);

interface ClassCase {
  name: string;
  divergence: Make;
  rule: RuleId;
  alsoFails?: RuleId[];
}

const faults = (cases: Record<string, Make>, rule: RuleId, alsoFails: RuleId[] = []): ClassCase[] =>
  Object.entries(cases).map(([name, divergence]) => ({ name, divergence, rule, alsoFails }));
const variants = (cases: Record<string, Make>) => Object.entries(cases).map(([name, divergence]) => ({ name, divergence }));

/** Issue 18 §4: one fault per class of input that fixed inputs never tried. */
const FAULTS: ClassCase[] = [
  ...faults(AUTH_FAULTS, 'ignored_auth'),
  ...faults(BODY_FAULTS, 'negative_data_rejection'),
  ...faults(UNKNOWN_PROPERTY_FAULTS, 'positive_data_acceptance'),
  ...faults(BOM_FAULTS, 'positive_data_acceptance'),
  ...faults(
    {
      heartbeat_kept_as_double: INTEGER_FAULTS.heartbeat_kept_as_double!,
      update_clamps_heartbeat_to_int32: INTEGER_FAULTS.update_clamps_heartbeat_to_int32!,
    },
    'positive_data_acceptance',
  ),
  ...faults({ booleans_taken_as_integers: INTEGER_FAULTS.booleans_taken_as_integers! }, 'negative_data_rejection'),
];
const VARIANTS = [...variants(AUTH_VARIANTS), ...variants(BODY_VARIANTS), ...variants(INTEGER_VARIANTS), ...variants(REPEAT_VARIANTS)];

describe('the contract suite against a fault of each class of input it used not to try', { timeout: 120_000 }, () => {
  it.concurrent.each(FAULTS)('fails $name, naming $rule', async ({ divergence, rule, alsoFails = [] }) => {
    const { report, leftOnServer } = await runAgainstDivergent(make(divergence));
    expect([...report.failedRules].sort()).toEqual([rule, ...alsoFails].sort());
    expect(report.table).toMatch(new RegExp(`^${rule}\\s+FAIL`, 'm'));
    expect(report.cleanup.leftover).toEqual([]);
    expectStraysReported(report, leftOnServer);
  });
});

describe('the contract suite against servers that differ only as the contract allows', { timeout: 120_000 }, () => {
  it.concurrent.each(VARIANTS)('passes $name', async ({ divergence }) => {
    const { report } = await runAgainstDivergent(make(divergence));
    expect(report.results.flatMap((r) => r.failures.map((f) => `${f.rule} ${f.operationId}: ${f.expected}`))).toEqual([]);
    expect(report.conforms).toBe(true);
  });
});
