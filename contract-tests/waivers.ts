import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { ContractSetupError } from './config.js';
import type { ContractReport, RuleResult } from './contract-report.js';
import { schemaPointerOf, type Failure } from './failure.js';
import { renderTable } from './report/console-report.js';
import { RULE_IDS, type RuleId } from './rules/index.js';
import { listOperations, loadSpec } from './spec.js';
import type { Waiver, WaiverOutcome } from './waiver.js';

export type { Waiver, WaiverOutcome } from './waiver.js';

const OPERATION_IDS = listOperations(loadSpec()).map((op) => op.operationId);
const DATE = '^\\d{4}-\\d{2}-\\d{2}$';
const SCHEMA = {
  type: 'object',
  required: ['waivers'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    waivers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'reason'],
        additionalProperties: false,
        properties: {
          rule: { enum: RULE_IDS },
          operation: { enum: OPERATION_IDS },
          check: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 1 },
          expires: { type: 'string', pattern: DATE },
        },
      },
    },
  },
};
const validate = new Ajv2020({ allErrors: true }).compile<{ waivers: Waiver[] }>(SCHEMA);

/** The waivers of a file (`{ "waivers": [...] }`) or given as a list; anything malformed is a set-up error, in one line. */
export function loadWaivers(source: string | readonly Waiver[]): Waiver[] {
  const name = typeof source === 'string' ? `waivers file ${source}` : 'the waivers option';
  let json: unknown = { waivers: source };
  if (typeof source === 'string') {
    try {
      json = JSON.parse(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new ContractSetupError(`cannot read ${name}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  if (!validate(json)) throw new ContractSetupError(`invalid ${name}: ${(validate.errors ?? []).map(describe).join('; ')}`);
  const badDate = json.waivers.find((w) => w.expires !== undefined && !isRealDate(w.expires));
  if (badDate) throw new ContractSetupError(`invalid ${name}: expires "${badDate.expires}" is not a date (YYYY-MM-DD)`);
  return json.waivers;
}

function describe(error: ErrorObject): string {
  const at = error.instancePath || '/';
  if (error.keyword === 'enum') return `${at} must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  if (error.keyword === 'additionalProperties')
    return `${at} has unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  return `${at} ${error.message ?? error.keyword}`;
}

const isRealDate = (date: string) =>
  !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) && new Date(`${date}T00:00:00Z`).toISOString().startsWith(date);

/** Whether a waiver covers a failure group. A check must hold for the whole group: its shared schema pointer, or every expectation in it. */
function covers(waiver: Waiver, failure: Failure): boolean {
  if (waiver.rule !== failure.rule || (waiver.operation !== undefined && waiver.operation !== failure.operationId)) return false;
  const { check } = waiver;
  if (check === undefined) return true;
  const schema = [schemaPointerOf(failure), ...(failure.schemaErrors ?? []).map((e) => `${e.pointer} ${e.message}`)].join('\n');
  return schema.includes(check) || [failure.expected, ...(failure.alike ?? [])].every((text) => text.includes(check));
}

/**
 * The report with its waivers applied (`today` is YYYY-MM-DD, UTC): each covered failure group
 * marked `waived`, a failed rule whose every failure is waived in state `waived`, and the verdict,
 * table and matrix following. Failures beyond the groups kept are waived only by a waiver of the
 * whole rule (no operation, no check): nothing else can tell what they were.
 */
export function applyWaivers(
  report: ContractReport,
  waivers: readonly Waiver[],
  today = new Date().toISOString().slice(0, 10),
): ContractReport {
  const active = waivers.filter((w) => w.expires === undefined || w.expires >= today);
  const matched = new Map<Waiver, number>();
  const match = (failure: Failure, among: readonly Waiver[]) => {
    const found = among.filter((w) => covers(w, failure));
    for (const w of found) matched.set(w, (matched.get(w) ?? 0) + (failure.repeats ?? 1));
    return found[0];
  };
  const results = report.results.map((result): RuleResult<RuleId> => {
    if (result.state !== 'failed') return result;
    const failures = result.failures.map((failure) => {
      const waiver = match(failure, active);
      match(
        failure,
        waivers.filter((w) => !active.includes(w)),
      );
      return waiver ? { ...failure, waived: waiver.reason } : failure;
    });
    const wholeRule = active.find((w) => w.rule === result.rule && w.operation === undefined && w.check === undefined);
    if (wholeRule && result.omitted > 0) matched.set(wholeRule, (matched.get(wholeRule) ?? 0) + result.omitted);
    const allWaived = failures.every((f) => f.waived !== undefined) && (result.omitted === 0 || wholeRule !== undefined);
    return { ...result, failures, state: allWaived ? 'waived' : 'failed' };
  });
  const byRule = new Map(results.map((r) => [r.rule as string, r]));
  const rows = report.matrix.rows.map((row) => {
    const result = byRule.get(row.rule);
    const cells = row.cells.map((cell, i) => {
      const operationId = report.matrix.operations[i]?.operationId;
      const here = result?.failures.filter((f) => f.operationId === operationId) ?? [];
      const waived = cell === 'failed' && (result?.state === 'waived' || (here.length > 0 && here.every((f) => f.waived !== undefined)));
      return waived ? 'waived' : cell;
    });
    return { ...row, verdict: result?.state ?? row.verdict, cells };
  });
  const matrix = { ...report.matrix, rows };
  const failedRules = results.filter((r) => r.state === 'failed').map((r) => r.rule);
  const outcomes = waivers.map((w): WaiverOutcome => {
    const failures = matched.get(w) ?? 0;
    return { ...w, status: !active.includes(w) ? 'expired' : failures > 0 ? 'applied' : 'unmatched', failures };
  });
  return {
    ...report,
    results,
    failedRules,
    conforms:
      report.stoppedBecause === undefined && failedRules.length === 0 && results.some((r) => r.state === 'passed' || r.state === 'waived'),
    matrix,
    table: renderTable(matrix),
    waivers: outcomes,
  };
}
