import { conformanceTour } from './conformance-tour.js';
import { responseFor } from './auth-refusal.js';
import { defineRule } from './rule.js';

/** Rule 2: the media type is the declared one; a declared response without content accepts any body. */
export const contentTypeConformance = defineRule({
  id: 'content_type_conformance',
  kind: 'judge',
  reportOrder: 2,
  runOrder: 12,
  run: (ctx) => conformanceTour(ctx.session),
  judge(exchange, operation) {
    const declared = responseFor(exchange, operation);
    if (!declared) return 'skip'; // no response, or an undeclared status: status_code_conformance's finding
    if (declared.mediaTypes.length === 0) return 'pass';
    if (declared.mediaTypes.includes(exchange.response.mediaType)) return 'pass';
    return {
      operationId: operation.operationId,
      expected: `Content-Type ${declared.mediaTypes.join(' or ')} for a ${declared.status} response`,
      exchange,
    };
  },
});
