import { SHAPE_CHECKS } from './checks/index.js';
import type { Exchange } from './client.js';
import type { Failure } from './failure.js';
import type { RuleId } from './rules.js';
import type { Operation } from './spec.js';
import type { SpecValidator } from './validator.js';

/** The three shape rules' verdicts on one exchange (rules with nothing to say are left out). */
export function judgeShape(exchange: Exchange, operation: Operation, validator: SpecValidator): { rule: RuleId; failure?: Failure }[] {
  const out: { rule: RuleId; failure?: Failure }[] = [];
  for (const check of SHAPE_CHECKS) {
    const verdict = check.judge(exchange, operation, validator);
    if (verdict === 'skip') continue;
    out.push(verdict === 'pass' ? { rule: check.rule } : { rule: check.rule, failure: verdict });
  }
  return out;
}
