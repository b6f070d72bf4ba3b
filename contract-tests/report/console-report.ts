import type { ContractReport, ReportMatrix, RuleResult } from '../contract-report.js';
import { printable } from '../printable.js';
import type { Recorder } from '../recorder.js';
import type { RuleState } from '../rule-state.js';
import type { CleanupOutcome } from '../run-state.js';
import type { Operation } from '../spec.js';
import { renderFailure } from './failure-text.js';
import type { Waiver, WaiverOutcome } from '../waiver.js';

/** How much a rule did, in words: a judge counts the exchanges it judged, a scenario its requests. */
export function workDone(result: Pick<RuleResult, 'requests' | 'exchangesJudged'>): string {
  if (result.exchangesJudged !== undefined) return `judged ${result.exchangesJudged} exchanges`;
  return `${result.requests ?? 0} requests`;
}

const MARK: Record<RuleState, string> = { passed: 'pass', failed: 'FAIL', skipped: '-', waived: 'waived' };

/** Rules × operations: pass / FAIL / waived / - (not run), with each rule's verdict first. */
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
  for (const result of report.results) if (hasFailures(result)) sections.push(renderRuleFailures(result));
  for (const result of report.results)
    if (result.state === 'skipped' && result.reason?.includes('deadline')) sections.push(`- ${result.rule}: not run (${result.reason})`);
  const warnings = waiverWarnings(report.waivers ?? []);
  if (warnings.length > 0) sections.push(warnings.join('\n'));
  sections.push(report.table, report.coverage, renderSummary(report));
  return report.mask(printable(sections.join('\n\n')));
}

/** A rule whose failures a report shows: failed, or waived (still shown, marked so). */
export const hasFailures = (result: Pick<RuleResult, 'state'>) => result.state === 'failed' || result.state === 'waived';

/** The failures the waivers cover, for the verdict line: `3 failure(s) waived (rule_a, rule_b)`. */
export function waivedNote(report: ContractReport): string {
  const rules = report.results.filter((r) => r.failures.some((f) => f.waived !== undefined));
  const count = rules.reduce((n, r) => n + r.failures.filter((f) => f.waived !== undefined).reduce((m, f) => m + (f.repeats ?? 1), 0), 0);
  return count > 0 ? `${count} failure(s) waived (${rules.map((r) => r.rule).join(', ')})` : '';
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
  const waived = waivedNote(report);
  return printable(
    `${verdict}${waived ? ` · ${waived}` : ''} · ${report.baseUrl} · run ${report.runId} · seed ${report.seed} · ${report.exchanges} requests in ${(report.durationMs / 1000).toFixed(1)} s · cleaned up ${report.cleanup.deleted} policies${leftover}${report.stoppedBecause && report.failedRules.length > 0 ? ` · stopped early: ${report.stoppedBecause}` : ''}`,
  );
}

/** One line per waiver a reader must act on: expired, or matching nothing. */
export function waiverWarnings(outcomes: readonly WaiverOutcome[]): string[] {
  const name = (w: Waiver) => [w.rule, w.operation, w.check === undefined ? undefined : `"${w.check}"`].filter(Boolean).join(' · ');
  return outcomes.flatMap((w) =>
    w.status === 'expired'
      ? [`warning: waiver expired on ${w.expires ?? ''}, it waives nothing (${w.failures} failure(s) count): ${name(w)} (${w.reason})`]
      : w.status === 'unmatched'
        ? [`warning: waiver matched no failure: ${name(w)} (${w.reason})`]
        : [],
  );
}
