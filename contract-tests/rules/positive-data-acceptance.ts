import { SPEC } from '../basis.js';
import { validPolicyBody, type BodyVariant } from '../bodies.js';
import { OP, RESOURCE_KINDS } from '../operations.js';
import type { Body } from '../run-state.js';
import type { RuleContext } from './rule-context.js';
import { defineRule } from './rule.js';
import { checkHeartbeatReadback } from './edge-values.js';
import { checkByteOrderMark } from './malformed-bodies.js';
import { checkUnknownPropertyOnDelete } from './unknown-properties.js';

const VARIANTS: readonly BodyVariant[] = ['minimal', 'full', 'nulls'];

/**
 * Rule 5: valid bodies for each resource kind (with and without optional fields, nulls where
 * allowed), boundary values, a charset parameter on the media type and a property the schema does
 * not name are accepted.
 */
export const positiveDataAcceptance = defineRule({
  id: 'positive_data_acceptance',
  basis: SPEC,
  kind: 'scenario',
  reportOrder: 5,
  runOrder: 1,
  async run(ctx) {
    const s = ctx.runState;
    for (const kind of RESOURCE_KINDS) {
      for (const variant of VARIANTS) {
        const body = validPolicyBody(s.profile, kind, s.resourceName(`accept-${kind}-${variant}`), variant);
        const id = await acceptCreate(ctx, body, `a valid ${kind} policy (${variant} body)`);
        if (id === undefined) continue;
        for (const updateVariant of VARIANTS) {
          const update = validPolicyBody(s.profile, kind, s.resourceName(`accept-${kind}-${updateVariant}`), updateVariant);
          const exchange = await s.update({ json: { ...update, id } });
          ctx.check(exchange.response.status === 200, OP.update, `update of a ${kind} policy with a valid ${updateVariant} body → 200`, {
            exchange,
          });
        }
      }
    }
    // Boundaries the schema allows: int32 extremes for the priority, an int64 heartbeat beyond int32.
    const jobs = validPolicyBody(s.profile, 'jobs', s.resourceName('accept-bounds'), 'full');
    for (const priority of [2 ** 31 - 1, -(2 ** 31)]) {
      await acceptCreate(ctx, { ...jobs, job_filter: { namespace: null, priority } }, `job_filter.priority ${priority} (int32 bound)`);
    }
    const pods = validPolicyBody(s.profile, 'pods', s.resourceName('accept-int64'), 'full');
    await acceptCreate(ctx, { ...pods, heartbeat_time: 2 ** 40 }, 'heartbeat_time 2^40 (an int64 beyond int32)');

    // The media type with its charset parameter is still application/json (JSON is UTF-8, RFC 8259).
    const charset = 'application/json; charset=utf-8';
    const utf8 = validPolicyBody(s.profile, 'pods', s.resourceName('accept-charset'), 'full');
    await acceptCreateAndUpdate(ctx, utf8, `Content-Type ${charset}`, charset);
    // PolicyRequest does not forbid additional properties: a body with one the schema does not name is valid.
    const extra = { ...validPolicyBody(s.profile, 'pods', s.resourceName('accept-extra'), 'full'), contract_unknown_field: 'ignored' };
    await acceptCreateAndUpdate(ctx, extra, 'a property the schema does not name (PolicyRequest allows additional properties)');
    await checkUnknownPropertyOnDelete(ctx);
    await checkHeartbeatReadback(ctx);
    await checkByteOrderMark(ctx);
  },
});

/** A create of `body`, then an update of the new policy with the same body, both sent the same way. */
async function acceptCreateAndUpdate(ctx: RuleContext, body: Body, what: string, contentType?: string): Promise<void> {
  const id = await acceptCreate(ctx, body, what, contentType);
  if (id === undefined) return;
  const exchange = await ctx.runState.update({ json: { ...body, id }, contentType });
  ctx.check(exchange.response.status === 200, OP.update, `update with ${what} → 200`, { exchange });
}

async function acceptCreate(ctx: RuleContext, body: Body, what: string, contentType?: string): Promise<string | undefined> {
  const { exchange, id } = await ctx.runState.create({ json: body, contentType });
  const ok = exchange.response.status === 200 && id !== undefined;
  ctx.check(ok, OP.create, `create with ${what} → 200 with the new policy's id`, { exchange });
  return ok ? id : undefined;
}
