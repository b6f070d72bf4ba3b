import type { Basis } from './basis.js';
import { keptExchange, KEPT_TEXT_CHARS, type Exchange } from './client.js';
import type { SchemaError } from './validator.js';

/** One broken expectation, with everything needed to understand and reproduce it. */
export interface Failure {
  /** The rule's id (the engine knows rules by id only; run-contract.ts narrows to RuleId). */
  rule: string;
  operationId: string;
  /** What must hold, in words. */
  expected: string;
  /** The exchange that showed it, when one did. */
  exchange?: Exchange | undefined;
  /** What came back when that is not just the response (e.g. a list entry that differs). */
  actual?: string | undefined;
  schemaErrors?: SchemaError[] | undefined;
  /** The rule whose scenario was running when it was seen (shape rules judge everyone's exchanges). */
  phase?: string | undefined;
  /** What the body should have held and what it did, for a line diff in the HTML report. */
  bodies?: { expected: string; actual: string } | undefined;
  /** How many failures of one group (same rule, operation and schema pointer) this one stands for (default 1). */
  repeats?: number | undefined;
  /** Other expectations broken in its group, besides its own (a few, distinct). */
  alike?: string[] | undefined;
  /** The reason of the waiver that covers it (waivers.ts): shown, but it does not fail the run. */
  waived?: string | undefined;
  /** Where the expectation comes from (the rule's, unless the check says otherwise). */
  basis?: Basis | undefined;
  /** Sets it apart from failures of its rule and operation with other keys (e.g. each shrunk model failure is its own group). */
  distinct?: string | undefined;
}

/**
 * The schema pointers of a failure, each array index written as `*`, so that one field missing
 * from every item of a list is one group, not one per item.
 */
export function schemaPointerOf(failure: Pick<Failure, 'schemaErrors'>): string {
  const pointers = new Set((failure.schemaErrors ?? []).map((e) => e.pointer.replace(/\/\d+(?=\/|$)/g, '/*')));
  return [...pointers].sort().join(' ');
}

/** Failures alike enough to be reported once, with a count: rule, operation and schema pointer (and `distinct`). */
export const groupKey = (failure: Failure) =>
  `${failure.rule} ${failure.operationId} ${schemaPointerOf(failure)}${failure.distinct === undefined ? '' : ` ${failure.distinct}`}`;

/** Schema errors kept per failure (a list of thousands of bad entries has as many). */
const KEPT_SCHEMA_ERRORS = 50;

const clip = (text: string) => (text.length > KEPT_TEXT_CHARS ? `${text.slice(0, KEPT_TEXT_CHARS)}… (${text.length} chars)` : text);

/**
 * A failure as the recorder keeps it: every text of the target's cut to KEPT_TEXT_CHARS and at
 * most KEPT_SCHEMA_ERRORS schema errors, so that a run's failures take bounded memory whatever
 * the target answers.
 */
export function keptFailure(failure: Failure): Failure {
  return {
    ...failure,
    expected: clip(failure.expected),
    ...(failure.actual !== undefined ? { actual: clip(failure.actual) } : {}),
    ...(failure.exchange ? { exchange: keptExchange(failure.exchange) } : {}),
    ...(failure.schemaErrors
      ? {
          schemaErrors: failure.schemaErrors
            .slice(0, KEPT_SCHEMA_ERRORS)
            .map((e) => ({ pointer: clip(e.pointer), message: clip(e.message) })),
        }
      : {}),
    ...(failure.bodies ? { bodies: { expected: clip(failure.bodies.expected), actual: clip(failure.bodies.actual) } } : {}),
    ...(failure.alike ? { alike: failure.alike.map(clip) } : {}),
  };
}

/** A value as a failure's `bodies` hold it (the HTML report diffs them line by line): JSON, two-space indented, keys in their order. */
export const diffable = (value: unknown): string => JSON.stringify(value, null, 2) ?? String(value);
