import { SPEC, type Basis } from '../basis.js';
import type { ContractReport } from '../contract-report.js';
import type { Failure } from '../failure.js';
import { printable } from '../printable.js';
import type { RuleId } from '../rules/index.js';
import type { RuleState } from '../rule-state.js';
import type { CleanupOutcome } from '../run-state.js';
import type { SchemaError } from '../validator.js';
import type { WaiverOutcome } from '../waiver.js';
import { renderReport } from './console-report.js';
import { describeResponse, renderFailure } from './failure-text.js';

/** What a request looked like; the Authorization header reads `Bearer $CONTRACT_TOKEN`. */
export interface FailureRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** One broken expectation. Every text is printable and free of the token. */
export interface FailureRecord {
  operationId: string;
  /** The request that showed it, when one did. */
  request?: FailureRequest | undefined;
  /** What must hold, in words. */
  expected: string;
  /** What came back: the response (status, content type, body excerpt) and any finding beyond it. */
  actual: string;
  /** A shell command that replays the request; set CONTRACT_TOKEN before running it. */
  curl?: string | undefined;
  schemaErrors?: SchemaError[] | undefined;
  /** How many failures alike (same rule, operation and schema pointer) this one stands for. */
  count: number;
  /** Other expectations broken in its group (a few, distinct). */
  alike?: string[] | undefined;
  /** The reason of the waiver that covers it: shown, but it does not fail the run. */
  waived?: string | undefined;
  /** Where the expectation comes from: `spec`, or `semantics` with the documented sentence it enforces. */
  basis: Basis;
  /** The whole failure as the report prints it. */
  text: string;
}

export interface RuleOutcome {
  id: RuleId;
  state: RuleState;
  /** Why a rule was skipped. */
  reason?: string | undefined;
  durationMs: number;
  /** Requests its scenario sent. */
  requests?: number | undefined;
  /** For a rule that judges every exchange: how many it judged. */
  exchangesJudged?: number | undefined;
  /** One example per group of failures alike (rule, operation, schema pointer), with its count. */
  failures: FailureRecord[];
  /** Failures beyond the groups kept. */
  omittedFailures: number;
}

/**
 * `conforms` (exit code 0), `does-not-conform` (1: breaks at least one rule), `setup-error` (2: the
 * target is unreachable or stopped answering, refuses the token or the profile's ids, a bound on
 * what the suite keeps of it was reached, or an option is bad; reports cover what ran before) and
 * `incomplete` (2: the deadline passed before any rule failed).
 */
export type Verdict = 'conforms' | 'does-not-conform' | 'setup-error' | 'incomplete';

export interface ContractResult {
  verdict: Verdict;
  /** 0 conforms, 1 breaks a rule, 2 set-up problem: the same in the CLI, the vitest route and here. */
  exitCode: 0 | 1 | 2;
  /** The set-up problem, when `verdict` is `setup-error`. */
  setupError?: string | undefined;
  /** Why the run stopped early, when `verdict` is `incomplete` (or it failed before the deadline). */
  stoppedBecause?: string | undefined;
  baseUrl: string;
  runId?: string | undefined;
  seed: number;
  fuzzRuns: number;
  /** Rules in the order they ran. */
  rules: RuleOutcome[];
  /** `waived`: rules whose every failure a waiver covers (they do not fail the run). */
  counts: { passed: number; failed: number; skipped: number; waived: number; total: number };
  /** What became of each waiver (applied, expired, matched nothing), when the run had any. */
  waivers?: WaiverOutcome[] | undefined;
  /** Requests sent to the target. */
  requests: number;
  durationMs: number;
  /** What the suite created and deleted; `leftover` = its own policies still there, `unexplained` = others that appeared. */
  cleanup: CleanupOutcome;
  /** The report as the CLI prints it. */
  report: string;
}

/** The library's result of a report (observe mode builds one too). */
export function resultOf(report: ContractReport): ContractResult {
  const rules: RuleOutcome[] = report.results.map((r) => ({
    id: r.rule,
    state: r.state,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    durationMs: r.durationMs,
    ...(r.requests !== undefined ? { requests: r.requests } : {}),
    ...(r.exchangesJudged !== undefined ? { exchangesJudged: r.exchangesJudged } : {}),
    failures: r.failures.map(recordOf),
    omittedFailures: r.omitted,
  }));
  const count = (state: RuleState) => rules.filter((r) => r.state === state).length;
  const counts = {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    waived: count('waived'),
    total: rules.length,
  };
  const verdict: Verdict = report.conforms
    ? 'conforms'
    : report.setupProblem
      ? 'setup-error'
      : counts.failed > 0 || !report.stoppedBecause
        ? 'does-not-conform'
        : 'incomplete';
  return {
    verdict,
    exitCode: verdict === 'conforms' ? 0 : verdict === 'does-not-conform' ? 1 : 2,
    ...(report.setupProblem ? { setupError: report.setupProblem } : {}),
    stoppedBecause: report.stoppedBecause,
    baseUrl: report.baseUrl,
    runId: report.runId,
    seed: report.seed,
    fuzzRuns: report.fuzzRuns,
    rules,
    counts,
    requests: report.exchanges,
    durationMs: report.durationMs,
    cleanup: report.cleanup,
    ...(report.waivers ? { waivers: report.waivers } : {}),
    report: renderReport(report),
  };
}

function recordOf(failure: Failure): FailureRecord {
  const ex = failure.exchange;
  const actual = [ex ? describeResponse(ex) : undefined, failure.actual ? printable(failure.actual) : undefined]
    .filter(Boolean)
    .join(' · ');
  return {
    operationId: failure.operationId,
    ...(ex
      ? {
          request: {
            method: ex.request.method,
            url: printable(ex.request.url),
            headers: ex.request.headers,
            ...(ex.request.body !== undefined ? { body: ex.request.body } : {}),
          },
          curl: ex.curl,
        }
      : {}),
    expected: printable(failure.expected),
    actual: actual || '(nothing)',
    ...(failure.schemaErrors ? { schemaErrors: failure.schemaErrors } : {}),
    count: failure.repeats ?? 1,
    ...(failure.alike ? { alike: failure.alike.map(printable) } : {}),
    ...(failure.waived !== undefined ? { waived: printable(failure.waived) } : {}),
    basis: failure.basis ?? SPEC,
    text: renderFailure(failure),
  };
}
