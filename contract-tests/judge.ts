import type { Basis } from './basis.js';
import type { Exchange } from './client.js';
import type { Failure } from './failure.js';
import type { Operation } from './spec.js';
import type { SpecValidator } from './validator.js';

/** A judge's verdict on one exchange: `skip` when it has nothing to say (e.g. no response at all). */
export type JudgeVerdict = 'pass' | 'skip' | Omit<Failure, 'rule' | 'phase'>;

/**
 * What the run state needs of a rule that judges every recorded exchange. Declared here, below the
 * rules, so that the run state never imports a rule (the rules import it).
 */
export interface ExchangeJudge {
  readonly id: string;
  readonly basis: Basis;
  judge(exchange: Exchange, operation: Operation, validator: SpecValidator): JudgeVerdict;
}
