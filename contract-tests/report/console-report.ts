import type { ContractReport, ReportMatrix, RuleResult } from '../contract-report.js';
import { printable } from '../printable.js';
import type { Recorder } from '../recorder.js';
import type { RuleState } from '../rule-state.js';
import type { CleanupOutcome } from '../run-state.js';
import type { Operation } from '../spec.js';
import { renderFailure } from './failure-text.js';

/** How much a rule did, in words: a judge counts the exchanges it judged, a scenario its requests. */
export function workDone(result: Pick<RuleResult, 'requests' | 'exchangesJudged'>): string {
  if (result.exchangesJudged !== undefined) return `judged ${result.exchangesJudged} exchanges`;
  return `${result.requests ?? 0} requests`;
}

const MARK: Record<RuleState, string> = { passed: 'pass', failed: 'FAIL', skipped: '-' };

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

/** The whole report as text: failures per rule, then the table, coverage and clean-up. */
export function renderReport(report: ContractReport): string {
  const sections: string[] = [];
  for (const result of report.results) if (result.state === 'failed') sections.push(renderRuleFailures(result));
  for (const result of report.results)
    if (result.state === 'skipped' && result.reason?.includes('deadline')) sections.push(`- ${result.rule}: not run (${result.reason})`);
  sections.push(report.table, report.coverage, renderSummary(report));
  return report.mask(printable(sections.join('\n\n')));
}

/** The ids that appeared during the run, and how many more were not named. */
export const unexplainedIds = ({ unexplained, unexplainedOmitted }: CleanupOutcome) =>
  `${unexplained.join(', ')}${unexplainedOmitted ? ` and ${unexplainedOmitted} more` : ''}`;

export function renderSummary(report: ContractReport): string {
  const verdict = report.conforms
    ? 'CONFORMS'
    : report.setupProblem
      ? `SET-UP PROBLEM (${report.setupProblem}; stopped early, reports cover what ran before)`
      : report.failedRules.length > 0
        ? `DOES NOT CONFORM (${report.failedRules.join(', ')})`
        : `INCOMPLETE (${report.stoppedBecause ?? 'no rule passed'})`;
  const { leftover: left, unexplained } = report.cleanup;
  const leftover =
    (left.length ? ` · LEFT BEHIND: ${left.join(', ')}` : '') +
    (unexplained.length ? ` · appeared during the run without a successful create (not deleted): ${unexplainedIds(report.cleanup)}` : '');
  return printable(
    `${verdict} · ${report.baseUrl} · run ${report.runId} · seed ${report.seed} · ${report.exchanges} requests in ${(report.durationMs / 1000).toFixed(1)} s · cleaned up ${report.cleanup.deleted} policies${leftover}${report.stoppedBecause && report.failedRules.length > 0 ? ` · stopped early: ${report.stoppedBecause}` : ''}`,
  );
}
