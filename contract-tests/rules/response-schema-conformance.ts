import { SPEC } from '../basis.js';
import type { SchemaError } from '../validator.js';
import { conformanceTour } from './conformance-tour.js';
import { responseFor } from './auth-refusal.js';
import { defineRule } from './rule.js';

/** Rule 3: the body validates against the declared schema (errors against ApiError; what `code` holds is error_code_is_status's). */
export const responseSchemaConformance = defineRule({
  id: 'response_schema_conformance',
  basis: SPEC,
  kind: 'judge',
  reportOrder: 3,
  runOrder: 13,
  run: (ctx) => conformanceTour(ctx.runState),
  judge(exchange, operation, validator) {
    const { status, error } = exchange.response;
    if (status !== 0 && error !== undefined) {
      // Cut off (size cap) or stalled (timeout): a body that cannot be judged does not conform.
      return {
        operationId: operation.operationId,
        expected: `a complete ${status} body (within the response size cap and the request timeout)`,
        exchange,
      };
    }
    const declared = responseFor(exchange, operation);
    if (!declared || declared.mediaTypes.length === 0) return 'skip';
    // Judge against the declared media type even when another was sent, so that a wrong
    // Content-Type is content_type_conformance's finding alone.
    const mediaType = declared.mediaTypes.includes(exchange.response.mediaType)
      ? exchange.response.mediaType
      : (declared.mediaTypes[0] ?? '');
    const pointer = declared.schemaPointers[mediaType] ?? '';
    const { text, json } = exchange.response;
    let errors: SchemaError[];
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      errors = json === undefined ? [{ pointer: '/', message: 'body is not JSON' }] : validator.validate(pointer, json);
    } else {
      errors = validator.validate(pointer, text);
    }
    if (errors.length > 0) {
      return {
        operationId: operation.operationId,
        expected: `a ${declared.status} body valid against ${validator.describe(pointer)}`,
        exchange,
        schemaErrors: errors.slice(0, 10),
      };
    }
    return 'pass';
  },
});
