import { randomUUID } from 'node:crypto';
import { OP } from '../../operations.js';
import { idFromText } from '../../run-state.js';
import { Clock } from '../clock.js';
import type { ModelStep } from '../model-step.js';
import type { ModelPolicy } from '../policy-model.js';
import { describe, type Pools, type StepContext, type StepOutcome } from '../step-context.js';

export async function createStep(c: StepContext, step: ModelStep & { op: 'create' }, pools: Pools, outcome: StepOutcome): Promise<void> {
  const s = c.runState;
  const taken = step.id.kind === 'taken' ? c.resolve({ pool: 'live', pick: step.id.pick }, pools) : undefined;
  const explicitId = step.id.kind === 'free' ? randomUUID() : taken?.id;
  const built = c.build(step, explicitId);
  const { exchange, id } = await s.create({ json: built.body });
  c.note(exchange);
  if (!c.answered(exchange)) return;
  const accepted = exchange.response.status === 200;
  if (taken?.policy) {
    // README: "An explicit `id` must be a free UUID (else 400)"; a refused request changes nothing.
    if (accepted) c.adoptAccidental(id);
    c.expect(
      !accepted,
      'a create with the id of an existing policy is refused (400) and changes nothing',
      () => `answered ${describe(exchange)}`,
      OP.create,
      exchange,
    );
    if (!accepted) c.expectRefusal(exchange, 'a refused create answers a declared 4xx with an ApiError body');
    return;
  }
  if (built.refusal === 'must') {
    if (accepted) c.adoptAccidental(id);
    c.expect(
      !accepted,
      `a create is refused when ${built.why} (400), and changes nothing`,
      () => `answered ${describe(exchange)}`,
      OP.create,
      exchange,
    );
    if (!accepted) c.expectRefusal(exchange, 'a refused create answers a declared 4xx with an ApiError body');
    return;
  }
  if (!accepted) {
    if (built.refusal === 'no')
      c.expect(false, 'a valid create is accepted: 200 with the new id', () => `answered ${describe(exchange)}`, OP.create, exchange);
    c.expectRefusal(exchange, 'a refused create answers a declared 4xx with an ApiError body');
    return;
  }
  const newId = id ?? idFromText(exchange.response.text);
  if (!c.expect(newId !== undefined, 'create answers 200 text/plain with the new policy id', () => describe(exchange), OP.create, exchange))
    return;
  if (explicitId !== undefined) {
    c.expect(
      newId === explicitId,
      'a create with a free explicit id makes the policy under that id',
      () => `sent ${explicitId}, answered ${String(newId)}`,
      OP.create,
      exchange,
    );
  }
  const clash = [...c.live.values()].find((p) => p.id === newId);
  if (
    !c.expect(
      clash === undefined,
      'a create makes a new policy (its id is not one of an existing policy)',
      () => `answered ${String(newId)}`,
      OP.create,
      exchange,
    )
  )
    return;
  const handle = pools.nextHandle;
  const policy: ModelPolicy = { ...built.settings, handle, id: newId as string, timestamp: new Clock(), lastUpdated: new Clock() };
  c.resync(policy);
  c.live.set(handle, policy);
  c.madeIds.add(policy.id);
  outcome.created = handle;
  c.current.description += ` (policy #${handle})`;
}
