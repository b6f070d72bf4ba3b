import { validPolicyBody } from '../bodies.js';
import { OP } from '../operations.js';
import type { RuleContext } from './rule-context.js';

/**
 * PolicyDeleteRequest does not forbid additional properties either: a delete naming one of the
 * run's policies with a property the schema does not name deletes it.
 */
export async function checkUnknownPropertyOnDelete(ctx: RuleContext): Promise<void> {
  const s = ctx.runState;
  const { id } = await s.createJson(validPolicyBody(s.profile, 'pods', s.resourceName('accept-extra-delete'), 'full'));
  if (id === undefined) return;
  const exchange = await s.delete({ json: { id, contract_unknown_field: 'ignored' } });
  ctx.check(exchange.response.status === 200, OP.delete, 'delete with a property the schema does not name → 200', { exchange });
}
