import { renderHtmlReport, writeHtml } from '../report/html-report.js';
import { writeJunit } from '../report/junit.js';
import { printable } from '../printable.js';
import { buildMatrix, type ContractReport, type RuleResult } from '../contract-report.js';
import { renderCoverage, renderRuleFailures, renderTable } from '../report/console-report.js';
import { RULES, type RuleId } from '../rules/index.js';
import { resultOf, type ContractResult } from '../run-contract.js';
import { secretMasker, TOKEN_VARIABLE } from '../secret-mask.js';
import { renderHar } from '../report/har.js';
import { writeReportFile } from '../report/write-report-file.js';
import type { ClientFinding, Observation } from './observation.js';
import { renderObservedCoverage } from './observed-coverage.js';

/** What observe mode found so far: the suite's result, plus what only observing shows. */
export interface ObserveResult extends ContractResult {
  /** Requests of the client that break the spec: the client's, not the backend's, so no verdict. */
  clientFindings: ClientFinding[];
  /** Why the backend could not be judged (it never answered, or stalled). */
  setupProblems: string[];
  /** The observed-coverage matrix, as printed. */
  observedCoverage: string;
}

export interface ReportPaths {
  junit?: string | undefined;
  html?: string | undefined;
  json?: string | undefined;
  har?: string | undefined;
}

const IDLE = 'nothing it could judge went through the proxy';

/** The suite's report of what was observed: a rule that judged something passes or fails, any other is not run. */
export function observeReport(observation: Observation): ContractReport {
  const { recorder } = observation;
  const results = new Map<RuleId, RuleResult<RuleId>>();
  for (const rule of RULES.ids) {
    const judged = recorder.exchangesJudged(rule);
    const failed = recorder.failureCount(rule) > 0;
    results.set(rule, {
      rule,
      state: failed ? 'failed' : judged > 0 ? 'passed' : 'skipped',
      failures: recorder.failures(rule),
      omitted: recorder.omitted(rule),
      durationMs: 0,
      exchangesJudged: judged,
      ...(failed || judged > 0 ? {} : { reason: IDLE }),
    });
  }
  const ordered = RULES.ids.map((rule) => results.get(rule)).filter((r): r is RuleResult<RuleId> => r !== undefined);
  const failedRules = ordered.filter((r) => r.state === 'failed').map((r) => r.rule);
  const stoppedBecause =
    observation.setupProblems[0] ??
    (observation.exchanges === 0 ? 'no request went through the proxy (is the client pointed at it?)' : undefined);
  const matrix = buildMatrix(recorder, results, RULES.ids, observation.operations);
  return {
    conforms: failedRules.length === 0 && stoppedBecause === undefined,
    stoppedBecause,
    baseUrl: observation.options.upstream,
    runId: observation.runId,
    seed: 0,
    fuzzRuns: 0,
    results: ordered,
    failedRules,
    exchanges: observation.exchanges,
    durationMs: Date.now() - observation.started,
    cleanup: { deleted: 0, leftover: [], unexplained: [] },
    matrix,
    table: renderTable(matrix),
    coverage: renderCoverage(recorder, observation.operations),
    // Each exchange was masked as it was recorded (the client's own credentials too); the reports
    // mask again after every transformation, with the secrets known for the whole run.
    mask: secretMasker([observation.options.token, ...observation.options.secrets].map((secret) => [secret, TOKEN_VARIABLE] as const)),
  };
}

/** The result so far: verdict and exit code as a suite run's (2 when the backend could not be judged). */
export function observeResult(observation: Observation): ObserveResult {
  const report = observeReport(observation);
  const result = resultOf(report);
  const observedCoverage = renderObservedCoverage(observation.recorder, observation.operations, observation.fields, RULES.ids);
  const setupError = result.exitCode === 2 ? report.stoppedBecause : undefined;
  const clientFindings = [...observation.findings.values()];
  return {
    ...result,
    ...(setupError !== undefined ? { verdict: 'setup-error', setupError } : {}),
    clientFindings,
    setupProblems: [...observation.setupProblems],
    observedCoverage,
    report: renderText(report, observation, observedCoverage, setupError),
  };
}

function renderText(report: ContractReport, observation: Observation, observedCoverage: string, setupError: string | undefined): string {
  const sections: string[] = [];
  for (const result of report.results) if (result.state === 'failed') sections.push(renderRuleFailures(result));
  const findings = [...observation.findings.values()];
  if (findings.length > 0) {
    const lines = findings.map((f) => `- ${f.operation} · ${f.problem}${f.count > 1 ? ` (${f.count} times)` : ''}\n  reproduce: ${f.curl}`);
    if (observation.findingsOmitted > 0) lines.push(`… and ${observation.findingsOmitted} more of other kinds`);
    sections.push(`client findings (requests that break the spec; the backend is not at fault):\n${lines.join('\n')}`);
  }
  sections.push(report.table, observedCoverage);
  const verdict = report.conforms
    ? 'CONFORMS'
    : report.failedRules.length > 0
      ? `DOES NOT CONFORM (${report.failedRules.join(', ')})`
      : `SET-UP PROBLEM (${setupError ?? ''})`;
  const more = observation.setupProblems
    .slice(1)
    .map((p) => `\n  also: ${p}`)
    .join('');
  sections.push(
    `${verdict} · observed ${report.baseUrl} · ${report.exchanges} exchanges in ${(report.durationMs / 1000).toFixed(1)} s · ${findings.length} client finding(s)${more}`,
  );
  return printable(sections.join('\n\n'));
}

/** The report files asked for, from one report. */
export function writeObserveReports(observation: Observation, result: ObserveResult, paths: ReportPaths): void {
  const report = observeReport(observation);
  if (paths.junit) writeJunit(paths.junit, report);
  if (paths.html) writeHtml(paths.html, renderHtmlReport(report));
  if (paths.json) writeReportFile(paths.json, `${JSON.stringify(result, null, 2)}\n`);
  if (paths.har) writeReportFile(paths.har, renderHar(observation.har, 'cedana-policy-contract observe'));
}
