import type { Exchange } from '../client.js';
import { AUTH_STATUSES } from './auth-refusal.js';
import type { RuleContext } from './rule-context.js';

/**
 * `bearer <the token>`: RFC 9110 §11.1 makes the scheme case-insensitive, while the spec names it
 * `bearer` and most servers compare it as `Bearer`. Either answer is the contract's: the request as
 * with the token (200), or a refusal (401/403) with an ApiError body, as for any refused token.
 */
export async function checkCaseInsensitiveScheme(ctx: RuleContext, sent: Promise<Exchange>): Promise<void> {
  const exchange = await sent;
  const { status, json } = exchange.response;
  const expected = 'the token under the scheme in lower case ("bearer …") → 200 as with "Bearer", or 401/403 with an ApiError body';
  if (status === 200) return ctx.pass(exchange.operationId);
  const refused =
    AUTH_STATUSES.includes(status) && json !== undefined && ctx.runState.validator.validateComponent('ApiError', json).length === 0;
  ctx.check(refused, exchange.operationId, expected, { exchange });
}
