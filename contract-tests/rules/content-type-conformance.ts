import { semantics, SPEC } from '../basis.js';

const BARE_ID = semantics('200 `text/plain`: the new id');
import { conformanceTour } from './conformance-tour.js';
import { responseFor } from './auth-refusal.js';
import { defineRule } from './rule.js';
import { OP } from '../operations.js';
import { UUID } from '../uuid.js';

/** The operations whose 200 text/plain body is a policy id. */
const ID_ANSWERS: ReadonlySet<string> = new Set([OP.create, OP.update]);

/**
 * Rule 2: the media type is the declared one, and create's and update's text/plain is the bare id;
 * a declared response without content accepts any body.
 */
export const contentTypeConformance = defineRule({
  id: 'content_type_conformance',
  basis: SPEC,
  kind: 'judge',
  reportOrder: 2,
  runOrder: 12,
  run: (ctx) => conformanceTour(ctx.runState),
  judge(exchange, operation) {
    const declared = responseFor(exchange, operation);
    if (!declared) return 'skip'; // no response, or an undeclared status: status_code_conformance's finding
    if (declared.mediaTypes.length === 0) return 'pass';
    if (declared.mediaTypes.includes(exchange.response.mediaType)) {
      // README: create and update answer "200 text/plain with the new policy's id": the id itself,
      // not JSON text (a quoted string) sent as text/plain. Surrounding whitespace is tolerated.
      const { text, error } = exchange.response;
      if (!ID_ANSWERS.has(operation.operationId) || declared.status !== 200 || error !== undefined || UUID.test(text.trim())) return 'pass';
      return {
        operationId: operation.operationId,
        expected: `a 200 text/plain body that is the policy's id itself, a bare UUID (not JSON-quoted)`,
        exchange,
        actual: `body ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`,
        basis: BARE_ID,
      };
    }
    return {
      operationId: operation.operationId,
      expected: `Content-Type ${declared.mediaTypes.join(' or ')} for a ${declared.status} response`,
      exchange,
    };
  },
});
