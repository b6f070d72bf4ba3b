/**
 * A rule's state, for a whole run or for one rule × operation cell: the words of the library's
 * published result (`RuleOutcome.state`), used everywhere inside the suite too. `waived`: it
 * failed, and a waiver covers every failure (waivers.ts); it does not fail the run.
 */
export type RuleState = 'passed' | 'failed' | 'skipped' | 'waived';

/** How text reports and progress lines name a state (the console table's marks are shorter still). */
export const STATE_WORD: Record<RuleState, string> = { passed: 'pass', failed: 'fail', skipped: 'not run', waived: 'waived' };
