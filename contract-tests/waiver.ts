import type { RuleId } from './rules/index.js';

/** A known failure the team accepts for now: still shown, as waived, and it does not fail the run. */
export interface Waiver {
  rule: RuleId;
  /** Only on this operation (its operationId); default: every operation. */
  operation?: string | undefined;
  /** Only failures whose expectation or schema pointer holds this text; default: every failure of the rule. */
  check?: string | undefined;
  reason: string;
  /** YYYY-MM-DD: the last day it waives; after it the failures count again. */
  expires?: string | undefined;
}

/** What became of one waiver in a run. */
export interface WaiverOutcome extends Waiver {
  /** `applied`: it waived failures; `expired`: past its date, waives nothing; `unmatched`: nothing to waive. */
  status: 'applied' | 'expired' | 'unmatched';
  /** Failures it matched (waived when applied; counted against the run when expired). */
  failures: number;
}
