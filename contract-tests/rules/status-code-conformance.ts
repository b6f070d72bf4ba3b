import { SPEC } from '../basis.js';
import { declaredStatuses } from '../spec.js';
import { conformanceTour } from './conformance-tour.js';
import { AUTH_STATUSES } from './auth-refusal.js';
import { defineRule } from './rule.js';

/** Rule 1: every response's status is declared for its operation (401/403 too when the token was missing or wrong). */
export const statusCodeConformance = defineRule({
  id: 'status_code_conformance',
  basis: SPEC,
  kind: 'judge',
  reportOrder: 1,
  runOrder: 11,
  run: (ctx) => conformanceTour(ctx.runState),
  judge(exchange, operation) {
    const { status } = exchange.response;
    const declared = declaredStatuses(operation);
    // 415 refuses a body that is not UTF-8 (RFC 9110 §15.5.16), as rightly as a declared 400.
    const refusals = [...(exchange.auth === 'token' ? [] : AUTH_STATUSES), ...(exchange.request.notUtf8 ? [415] : [])];
    const allowed = [...declared, ...refusals];
    if (allowed.includes(status)) return 'pass';
    const hint = status === 401 || status === 403 ? ' (the target refused the configured token: check CONTRACT_TOKEN / --token)' : '';
    return {
      operationId: operation.operationId,
      expected: `a status declared for ${operation.operationId}: ${allowed.join(', ')}${hint}`,
      exchange,
    };
  },
});
