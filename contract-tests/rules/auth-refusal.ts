import type { Exchange } from '../client.js';
import type { DeclaredResponse, Operation } from '../spec.js';

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
