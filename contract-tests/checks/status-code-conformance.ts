import { declaredStatuses } from '../spec.js';
import { conformanceTour } from './conformance-tour.js';
import { AUTH_STATUSES, type ShapeCheck } from './shape-check.js';

/** Rule 1: every response's status is declared for its operation (401/403 too when the token was missing or wrong). */
export const statusCodeConformance: ShapeCheck = {
  rule: 'status_code_conformance',
  run: (ctx) => conformanceTour(ctx.session),
  judge(exchange, operation) {
    const { status } = exchange.response;
    const declared = declaredStatuses(operation);
    const allowed = exchange.auth === 'token' ? declared : [...declared, ...AUTH_STATUSES];
    if (allowed.includes(status)) return 'pass';
    const hint =
      status === 401 || status === 403 ? ' (the target refused the configured token: check CONTRACT_TOKEN / --token)' : '';
    return {
      rule: 'status_code_conformance',
      operationId: operation.operationId,
      expected: `a status declared for ${operation.operationId}: ${allowed.join(', ')}${hint}`,
      exchange,
    };
  },
};
