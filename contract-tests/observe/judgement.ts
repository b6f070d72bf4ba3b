import type { Failure } from '../failure.js';
import type { RuleId } from '../rules/index.js';

/** One verdict of a rule on observed traffic: a pass, or the failure it showed. */
export interface Judgement {
  rule: RuleId;
  operationId: string;
  failure?: Omit<Failure, 'rule' | 'operationId'> | undefined;
}

/** `ok` as a pass, else a failure with `expected` and the details. */
export function judgement(
  rule: RuleId,
  operationId: string,
  ok: boolean,
  expected: string,
  details: Omit<Failure, 'rule' | 'operationId' | 'expected'> = {},
): Judgement {
  return ok ? { rule, operationId } : { rule, operationId, failure: { expected, ...details } };
}
