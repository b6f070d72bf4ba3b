import type { Failure } from './failure.js';
import type { RuleId } from './rules/index.js';
import { shortName } from './operations.js';
import type { Recorder } from './recorder.js';
import type { RuleState } from './rule-state.js';
import type { CleanupOutcome } from './run-state.js';
import type { Operation } from './spec.js';
import type { HarLog } from './report/har.js';
import type { WaiverOutcome } from './waiver.js';

// What a run found, in full: the runner (and observe mode) build it, every format in report/ renders it.

export interface ContractReport {
  conforms: boolean;
  baseUrl: string;
  runId: string;
  seed: number;
  fuzzRuns: number;
  results: RuleResult<RuleId>[];
  failedRules: RuleId[];
  exchanges: number;
  durationMs: number;
  cleanup: CleanupOutcome;
  /** Why the run stopped before every rule ran (the deadline); such a run never conforms. */
  stoppedBecause?: string | undefined;
  /** When the stop was a set-up problem (the target stopped answering, a bound was reached): its reason. */
  setupProblem?: string | undefined;
  /** Rules × operations, for reports that draw it (the HTML); `table` is its text. */
  matrix: ReportMatrix;
  table: string;
  coverage: string;
  /**
   * Masks every secret of the run, in any spelling: each report applies it after every
   * transformation of a target's text (pretty-printing, cutting, escaping). A function, so that the
   * report serializes without the secrets.
   */
  mask: (text: string) => string;
  /** What became of each waiver, when the run had any. */
  waivers?: WaiverOutcome[] | undefined;
  /** Every exchange of the run, bounded, when a HAR file was asked for. */
  exchangeLog?: HarLog | undefined;
}

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
