import { semantics, SPEC } from '../basis.js';

const REFUSAL_CHANGES_NOTHING = semantics('A refused request changes nothing.');
import { invalidDeleteRequests, invalidPolicyRequests, unknownReferenceRequests, validPolicyBody, type RawRequest } from '../bodies.js';
import type { Exchange } from '../client.js';
import { OP } from '../operations.js';
import { UUID } from '../uuid.js';
import { describeChange, takeSnapshot, type ListSnapshot } from './list-snapshot.js';
import type { RuleContext } from './rule-context.js';
import { defineRule } from './rule.js';

/**
 * Rule 4: invalid create/update/delete requests (against the schema, or naming a cluster the
 * target lacks or a non-UUID id) get a declared 4xx with an ApiError body, and list is unchanged
 * afterwards (nothing created, changed or deleted).
 */
export const negativeDataRejection = defineRule({
  id: 'negative_data_rejection',
  basis: SPEC,
  kind: 'scenario',
  reportOrder: 4,
  runOrder: 2,
  async run(ctx) {
    const s = ctx.runState;
    // Required by the spec's schema; update needs an id besides (which policy), a meaning the schema leaves out.
    const required = s.operation(OP.create).requestSchema?.required ?? [];
    const valid = validPolicyBody(s.profile, 'pods', s.resourceName('reject'), 'full');
    const { id: created } = await s.createJson(valid);
    // Without a policy of our own, update/delete still must refuse; an unknown id stands in.
    const id = created ?? s.random.uuid();
    // A cluster the target does not have (README: "`cluster_id` … must exist … else 400").
    const unknownCluster = s.random.uuid();

    let state = await baseline(ctx);
    const attempt = async (operationId: string, request: RawRequest, send: () => Promise<Exchange>) => {
      const exchange = await send();
      if (exchange.response.status === 200 && operationId === OP.update) s.own.add(id); // an upsert: ours to clean up
      if (request.alsoAllowed?.includes(exchange.response.status)) ctx.pass(operationId);
      else ctx.expectDeclaredError(exchange, `${request.label}`, request.basis);
      const after = await takeSnapshot(s);
      if (state && after.snapshot) {
        // What appeared with this run's fingerprint was stored by the request just refused: ours to clean up.
        s.adoptNew([...after.snapshot.ids].filter((newId) => !state!.ids.has(newId)));
        const change = describeChange(state, after.snapshot);
        ctx.check(change === undefined, operationId, `${request.label} → nothing created, changed or deleted (list unchanged)`, {
          exchange,
          actual: change,
          basis: REFUSAL_CHANGES_NOTHING,
        });
      }
      // Stored under the non-UUID id sent, a policy cannot be deleted (delete takes a UUID): it is
      // left alone and reported at the end with what appeared without a successful create.
      const sentId = (request.json as { id?: unknown } | undefined)?.id;
      if (typeof sentId === 'string' && !UUID.test(sentId)) s.own.delete(sentId);
      state = after.snapshot ?? state;
    };

    for (const request of [...invalidPolicyRequests(valid, required), ...unknownReferenceRequests(valid, unknownCluster)]) {
      await attempt(OP.create, request, async () => (await s.create(request)).exchange);
    }
    const updates = { ...valid, id };
    for (const request of [...invalidPolicyRequests(updates, [...required, 'id']), ...unknownReferenceRequests(updates, unknownCluster)]) {
      await attempt(OP.update, request, () => s.update(request));
    }
    for (const request of invalidDeleteRequests(id)) {
      await attempt(OP.delete, request, () => s.delete(request));
    }
  },
});

async function baseline(ctx: RuleContext): Promise<ListSnapshot | undefined> {
  const { exchange, snapshot } = await takeSnapshot(ctx.runState);
  if (!snapshot) ctx.fail(OP.list, 'list answers 200 with an array (to see that rejected requests change nothing)', { exchange });
  return snapshot;
}
