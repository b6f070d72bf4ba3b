import { semantics } from '../basis.js';
import { resourceIds, validPolicyBody } from '../bodies.js';
import type { ContractProfile } from '../config.js';
import type { Exchange } from '../client.js';
import { diffable } from '../failure.js';
import { OP, RESOURCE_KINDS, type ResourceKind } from '../operations.js';
import type { Body, RunState, PolicyEntry } from '../run-state.js';
import type { RuleContext } from './rule-context.js';
import { defineRule } from './rule.js';

/**
 * Rule 7: create → list has it as sent → update → list shows the change → delete → list no longer
 * has it. Done for each resource kind, and once with an update that changes the kind.
 */
export const lifecycle = defineRule({
  id: 'lifecycle',
  basis: semantics('same body plus a required `id` of an existing policy (else 400); replaces the settings'),
  kind: 'scenario',
  reportOrder: 7,
  runOrder: 3,
  async run(ctx) {
    const s = ctx.runState;
    for (const kind of RESOURCE_KINDS) {
      const body = validPolicyBody(s.profile, kind, s.resourceName(`life-${kind}`), 'full');
      const id = await createAndFind(ctx, body, kind);
      if (id === undefined) continue;
      const updates = [updatedBody(s.profile, body, kind)];
      if (kind === 'pods') updates.push(updatedBody(s.profile, body, 'namespace'));
      for (const update of updates) {
        const exchange = await s.update({ json: { ...update, id } });
        if (!ctx.expectStatus(exchange, [200], `update of ${kind} policy ${id} → 200`)) break;
        const { entry, listed } = await s.find(id);
        const what = `after update, list shows ${id} with the new input, resource and resource_list`;
        if (entry === undefined) {
          ctx.fail(OP.update, what, { exchange, actual: listed ? 'not in list' : 'list failed' });
          break;
        }
        matches(ctx, OP.update, entry, update, what, exchange);
      }
      const deleted = await s.deleteId(id);
      if (!ctx.expectStatus(deleted, [200], `delete of ${kind} policy ${id} → 200`)) continue;
      const after = await s.list();
      ctx.check(
        after.policies !== undefined && !after.policies.some((p) => p.id === id),
        OP.delete,
        `after delete, list no longer has ${id}`,
        { exchange: deleted, actual: after.policies ? 'still listed' : `list answered ${after.exchange.response.status}` },
      );
    }
  },
});

/** Create, then find the new policy in list: by the id in the body, or else by diffing list. */
async function createAndFind(ctx: RuleContext, body: Body, kind: ResourceKind): Promise<string | undefined> {
  const s: RunState = ctx.runState;
  await s.list(); // so that the list below tells what is new since
  const { exchange, id } = await s.createJson(body);
  if (!ctx.expectStatus(exchange, [200], `create of a valid ${kind} policy → 200`)) return undefined;
  const { policies, fresh: listedFresh } = await s.list();
  let entry = policies?.find((p) => p.id === id);
  if (!entry) {
    const fresh = s.adoptNew(listedFresh ?? []);
    if (fresh.length === 1) entry = policies?.find((p) => p.id === fresh[0]);
  }
  const what = `after create, list has the new ${kind} policy (the id answered: ${id ?? '(none)'})`;
  if (!ctx.check(entry !== undefined, OP.create, what, { exchange, actual: policies ? 'no new policy in list' : 'list failed' })) {
    return undefined;
  }
  return entry && matches(ctx, OP.create, entry, body, `list shows the created ${kind} policy as sent`, exchange) ? entry.id : undefined;
}

function matches(ctx: RuleContext, operationId: string, entry: PolicyEntry, body: Body, what: string, exchange: Exchange): boolean {
  const expectedKind = (body.resource as string | null | undefined) ?? 'pods';
  const sent = [...(body.resource_ids as string[])].sort();
  const listed = Array.isArray(entry.resource_list) ? [...(entry.resource_list as unknown[])].sort() : entry.resource_list;
  const ok = entry.input === body.heartbeat_time && entry.resource === expectedKind && JSON.stringify(listed) === JSON.stringify(sent);
  return ctx.check(
    ok,
    operationId,
    `${what}: input ${String(body.heartbeat_time)}, resource ${expectedKind}, resource_list ${JSON.stringify(sent)}`,
    {
      exchange,
      actual: `list entry ${JSON.stringify(entry)}`,
      // The fields compared, as sent and as listed: the HTML report shows their line diff.
      bodies: {
        expected: diffable({ input: body.heartbeat_time, resource: expectedKind, resource_list: sent }),
        actual: diffable({ input: entry.input, resource: entry.resource, resource_list: listed }),
      },
    },
  );
}

/** A different heartbeat and different resources, optionally of another kind. */
function updatedBody(profile: ContractProfile, body: Body, kind: ResourceKind): Body {
  const ids = resourceIds(profile, kind, 3);
  const changed = ids.length > 1 ? ids.slice(1) : ids;
  return {
    ...body,
    heartbeat_time: 900,
    resource: kind,
    resource_ids: kind === 'namespace' ? [profile.namespaceIds.at(-1) ?? ''] : changed,
    job_filter: null,
  };
}
