import { renderFailure, type Failure } from './failure.js';
import { shortName } from './operations.js';
import type { Recorder } from './recorder.js';
import type { RuleState } from './rule-state.js';
import type { Operation } from './spec.js';

export interface RuleResult<Id extends string = string> {
  rule: Id;
  state: RuleState;
  failures: Failure[];
  /** Failures beyond those kept in full. */
  omitted: number;
  /** Why a rule did not run. */
  reason?: string | undefined;
  durationMs: number;
  /** Requests its scenario sent. */
  requests?: number | undefined;
  /** For a judge rule: exchanges it gave a verdict on, whichever scenario sent them. */
  exchangesJudged?: number | undefined;
}

/** Every failure of a result: each group's count, and those beyond the groups kept. */
export const failureCount = (result: Pick<RuleResult, 'failures' | 'omitted'>) =>
  result.failures.reduce((n, f) => n + (f.repeats ?? 1), 0) + result.omitted;

/** How much a rule did, in words: a judge counts the exchanges it judged, a scenario its requests. */
export function workDone(result: Pick<RuleResult, 'requests' | 'exchangesJudged'>): string {
  if (result.exchangesJudged !== undefined) return `judged ${result.exchangesJudged} exchanges`;
  return `${result.requests ?? 0} requests`;
}

const MARK: Record<RuleState, string> = { passed: 'pass', failed: 'FAIL', skipped: '-' };

/** Rules × operations, as every report shows it: each rule's verdict, then its state per operation. */
export interface ReportMatrix {
  operations: { operationId: string; name: string }[];
  rows: { rule: string; verdict: RuleState; cells: RuleState[] }[];
}

export function buildMatrix(
  recorder: Recorder,
  results: ReadonlyMap<string, RuleResult>,
  rules: readonly string[],
  operations: readonly Operation[],
): ReportMatrix {
  return {
    operations: operations.map((op) => ({ operationId: op.operationId, name: shortName(op) })),
    rows: rules.map((rule) => ({
      rule,
      verdict: results.get(rule)?.state ?? 'skipped',
      cells: operations.map((op) => recorder.state(rule, op.operationId)),
    })),
  };
}

/** Rules × operations: pass / FAIL / - (not run), with each rule's verdict first. */
export function renderTable(matrix: ReportMatrix): string {
  const columns = ['rule', 'verdict', ...matrix.operations.map((op) => op.name)];
  const rows = matrix.rows.map((row) => [row.rule, MARK[row.verdict], ...row.cells.map((cell) => MARK[cell])]);
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Which declared statuses were observed, per operation, and in total. */
export function renderCoverage(recorder: Recorder, operations: readonly Operation[]): string {
  let declared = 0;
  let seen = 0;
  const parts = operations.map((op) => {
    const observed = recorder.observedStatuses(op.operationId);
    const statuses = op.responses.map((r) => {
      declared++;
      if (observed.has(r.status)) seen++;
      return observed.has(r.status) ? `${r.status}` : `(${r.status})`;
    });
    return `${op.operationId} ${statuses.join(' ')}`;
  });
  return `coverage: ${seen}/${declared} declared statuses observed ((n) = not observed): ${parts.join(' | ')}`;
}

export function renderRuleFailures(result: RuleResult): string {
  const blocks = result.failures.map(renderFailure);
  if (result.omitted > 0) blocks.push(`… and ${result.omitted} more failure(s) of ${result.rule} in other groups`);
  return blocks.join('\n\n');
}
