import type { Basis } from '../basis.js';
import type { ContractOptions } from '../config.js';
import type { ExchangeJudge } from '../judge.js';
import type { RuleContext } from './rule-context.js';

interface RuleBase<Id extends string> {
  /** Stable: CI dashboards key on it. */
  readonly id: Id;
  /** Where its checks come from, unless a check says otherwise (reports show it; `--level spec` runs only spec). */
  readonly basis: Basis;
  /** The rule's number: its row in the report (1 first). */
  readonly reportOrder: number;
  /** When its scenario runs (1 first); judges run last, to judge everyone's exchanges. */
  readonly runOrder: number;
  /** Why it will not run with these options, besides not being selected. */
  skip?(options: Pick<ContractOptions, 'expectAuth' | 'fuzzRuns' | 'modelRuns' | 'compare'>): string | undefined;
  /** The requests it sends; a judge's scenario only makes sure there is something to judge. */
  run(ctx: RuleContext): Promise<void>;
  /**
   * Requests it must send before any rule's scenario, to see the target as the run found it
   * (before the run has made anything); sent only when the rule will run.
   */
  prelude?(ctx: RuleContext): Promise<void>;
}

/** A rule whose verdicts come from the requests of its own scenario. */
export interface ScenarioRule<Id extends string = string> extends RuleBase<Id> {
  readonly kind: 'scenario';
}

/** A rule judged on every recorded exchange, whichever scenario sent the request. */
export interface JudgeRule<Id extends string = string> extends RuleBase<Id>, ExchangeJudge {
  readonly kind: 'judge';
  readonly id: Id;
}

export type Rule<Id extends string = string> = ScenarioRule<Id> | JudgeRule<Id>;

/** Declares a rule in its own file; `const` keeps its id a literal, so `RuleId` is their union. */
export function defineRule<const Id extends string>(rule: Rule<Id>): Rule<Id> {
  return Object.freeze(rule);
}
