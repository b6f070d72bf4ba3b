import { semantics } from '../basis.js';
import { conformanceTour } from './conformance-tour.js';
import { responseFor } from './auth-refusal.js';
import { defineRule } from './rule.js';

const API_ERROR = '#/components/schemas/ApiError';

/**
 * Rule 14: an ApiError that gives a `code` gives the HTTP status, as a string. The spec makes
 * `code` optional and nullable (a body without it, a 401 included, is no finding); its description
 * says what it holds when present.
 */
export const errorCodeIsStatus = defineRule({
  id: 'error_code_is_status',
  basis: semantics('`code` the status as a string', 'docs/api.md (the spec: ApiError.code, "HTTP status code")'),
  kind: 'judge',
  reportOrder: 14,
  runOrder: 14,
  run: (ctx) => conformanceTour(ctx.runState),
  judge(exchange, operation, validator) {
    const { status, json, error } = exchange.response;
    const declared = responseFor(exchange, operation);
    if (!declared || error !== undefined) return 'skip';
    const pointer = declared.schemaPointers['application/json'];
    if (pointer === undefined || (pointer !== API_ERROR && validator.describe(pointer) !== 'ApiError')) return 'skip';
    const code = (json as { code?: unknown } | undefined)?.code;
    if (typeof code !== 'string') return 'pass'; // absent or null: allowed; another type is the schema's finding
    if (code === String(status)) return 'pass';
    return {
      operationId: operation.operationId,
      expected: `a ${status} ApiError whose code, when given, is the status as a string ("${status}")`,
      exchange,
      schemaErrors: [{ pointer: '/code', message: `must be "${status}", the status as a string; found ${JSON.stringify(code)}` }],
    };
  },
});
