import { OP } from '../../operations.js';
import type { Ref } from '../model-step.js';
import { describe, type Pools, type StepContext, type StepOutcome } from '../step-context.js';

export async function deleteStep(c: StepContext, ref: Ref, pools: Pools, outcome: StepOutcome): Promise<void> {
  const target = c.resolve(ref, pools);
  const exchange = c.note(await c.runState.deleteId(target.id));
  if (!c.answered(exchange)) return;
  const accepted = exchange.response.status === 200;
  if (!target.policy || target.handle === undefined) {
    c.expect(
      !accepted,
      'a delete of an id that names no policy (unknown, or deleted already) is refused (400)',
      () => `answered ${describe(exchange)}`,
      OP.delete,
      exchange,
    );
    if (!accepted) c.expectRefusal(exchange, 'a refused delete answers a declared 4xx with an ApiError body');
    return;
  }
  if (!c.expectStatus(exchange, [200], 'a delete of a policy of this run → 200')) return;
  c.live.delete(target.handle);
  c.deletedIds.set(target.handle, target.id);
  outcome.deleted = target.handle;
}
