import { counts, type Basis } from '../basis.js';
import type { Exchange } from '../client.js';
import type { RunState } from '../run-state.js';
import type { SchemaError } from '../validator.js';

export interface FailureDetails {
  exchange?: Exchange | undefined;
  actual?: string | undefined;
  schemaErrors?: SchemaError[] | undefined;
  /** What the body should have held and what it did (shown as a line diff in the HTML report). */
  bodies?: { expected: string; actual: string } | undefined;
  /** Where this check comes from, when not where its rule's do. */
  basis?: Basis | undefined;
  /** Reported apart from other failures of the rule and operation (Failure.distinct). */
  distinct?: string | undefined;
}

/** What a scenario uses to record its verdicts for one rule. */
export class RuleContext {
  constructor(
    readonly runState: RunState,
    readonly rule: string,
    readonly basis: Basis,
  ) {}

  pass(operationId: string): void {
    this.runState.recorder.pass(this.rule, operationId);
  }

  fail(operationId: string, expected: string, details: FailureDetails = {}): void {
    const basis = details.basis ?? this.basis;
    // A documented meaning the run was not asked to hold the target to (`--level spec`).
    if (!counts(basis, this.runState.options.level)) return;
    this.runState.recordFailure({ rule: this.rule, operationId, expected, phase: this.rule, ...details, basis });
  }

  /** Record `ok` as a pass, or else a failure; returns `ok` so scenarios can stop early. */
  check(ok: boolean, operationId: string, expected: string, details: FailureDetails = {}): boolean {
    if (ok) this.pass(operationId);
    else this.fail(operationId, expected, details);
    return ok;
  }

  /** The response status is one of `statuses`. */
  expectStatus(exchange: Exchange, statuses: readonly number[], expected: string): boolean {
    return this.check(statuses.includes(exchange.response.status), exchange.operationId, expected, { exchange });
  }

  /** A declared 4xx of the operation, with an ApiError JSON body. */
  expectDeclaredError(exchange: Exchange, what: string, basis?: Basis): boolean {
    const op = this.runState.operation(exchange.operationId);
    const declared4xx = op.responses.map((r) => r.status).filter((s) => s >= 400 && s < 500);
    const { status, json } = exchange.response;
    const expected = `${what} → a declared 4xx (${declared4xx.join(', ')}) with an ApiError body`;
    if (!declared4xx.includes(status)) return this.check(false, exchange.operationId, expected, { exchange, basis });
    const schemaErrors =
      json === undefined ? [{ pointer: '/', message: 'body is not JSON' }] : this.runState.validator.validateComponent('ApiError', json);
    return this.check(schemaErrors.length === 0, exchange.operationId, expected, { exchange, schemaErrors, basis });
  }
}
