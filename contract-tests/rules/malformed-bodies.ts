import { validPolicyBody } from '../bodies.js';
import { OP } from '../operations.js';
import type { RuleContext } from './rule-context.js';

const BOM = '\ufeff';

/**
 * A byte-order mark before the JSON: RFC 8259 §8.1 forbids sending one and lets a parser ignore
 * it, so the target may accept the body as the JSON after it, or refuse it with a declared 4xx.
 */
export async function checkByteOrderMark(ctx: RuleContext): Promise<void> {
  const s = ctx.runState;
  const body = validPolicyBody(s.profile, 'pods', s.resourceName('bom'), 'full');
  const { exchange } = await s.create({ rawBody: `${BOM}${JSON.stringify(body)}` });
  if (exchange.response.status === 200) return ctx.pass(OP.create);
  ctx.expectDeclaredError(exchange, 'a body starting with a byte-order mark: accepted (200) or refused');
}
