import type { Exchange } from '../client.js';
import type { Failure } from '../failure.js';
import type { DeclaredResponse, Operation } from '../spec.js';
import type { SpecValidator } from '../validator.js';
import type { RuleCheck } from './rule-context.js';

/** Verdict on one exchange: `skip` when the rule has nothing to say (e.g. no response at all). */
export type ShapeVerdict = 'pass' | 'skip' | Failure;

/** A rule judged on every response of the run, whichever scenario sent the request. */
export interface ShapeCheck extends RuleCheck {
  judge(exchange: Exchange, operation: Operation, validator: SpecValidator): ShapeVerdict;
}

/** Refusals of a missing or wrong token: allowed although undeclared, and expected to be ApiError JSON. */
export const AUTH_STATUSES = [401, 403];

export function isAuthRefusal(exchange: Exchange): boolean {
  return exchange.auth !== 'token' && AUTH_STATUSES.includes(exchange.response.status);
}

/** The declared response for this status, or a stand-in ApiError response for an auth refusal. */
export function responseFor(exchange: Exchange, operation: Operation): DeclaredResponse | undefined {
  const declared = operation.responses.find((r) => r.status === exchange.response.status);
  if (declared) return declared;
  if (isAuthRefusal(exchange)) {
    return {
      status: exchange.response.status,
      mediaTypes: ['application/json'],
      schemaPointers: { 'application/json': '#/components/schemas/ApiError' },
    };
  }
  return undefined;
}
