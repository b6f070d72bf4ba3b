import { OP } from '../../operations.js';
import { idFromText } from '../../run-state.js';
import type { ModelStep } from '../model-step.js';
import { sameSettings } from '../policy-model.js';
import { describe, type Pools, type StepContext } from '../step-context.js';

export async function updateStep(c: StepContext, step: ModelStep & { op: 'update' }, pools: Pools): Promise<void> {
  const target = c.resolve(step.target, pools);
  const built = c.build(step, target.id);
  const policy = target.policy;
  // The change must show as a new time: wait out the target's clock resolution first.
  const movable = policy ? await policy.timestamp.settle() : false;
  const syncMovable = policy ? await policy.lastUpdated.settle() : false;
  const exchange = c.note(await c.runState.update({ json: built.body }));
  if (!c.answered(exchange)) return;
  const accepted = exchange.response.status === 200;
  if (!policy || built.refusal === 'must') {
    const why = !policy ? 'its id names no policy (README: "a required `id` of an existing policy (else 400)")' : built.why;
    c.expect(
      !accepted,
      `an update is refused when ${why}, and changes nothing`,
      () => `answered ${describe(exchange)}`,
      OP.update,
      exchange,
    );
    if (!accepted) c.expectRefusal(exchange, 'a refused update answers a declared 4xx with an ApiError body');
    return;
  }
  if (!accepted) {
    if (built.refusal === 'no')
      c.expect(
        false,
        'a valid update of a policy of this run is accepted: 200 with its id',
        () => `answered ${describe(exchange)}`,
        OP.update,
        exchange,
      );
    c.expectRefusal(exchange, 'a refused update answers a declared 4xx with an ApiError body');
    return;
  }
  const answered = idFromText(exchange.response.text);
  c.expect(
    answered === policy.id,
    'update answers 200 text/plain with the policy id',
    () => `answered ${String(answered)}`,
    OP.update,
    exchange,
  );
  const changed = !sameSettings(policy, built.settings);
  const wasJobs = policy.kind === 'jobs';
  Object.assign(policy, built.settings);
  c.resync(policy);
  // README: `timestamp` = last change; job-status is "as of the last sync (create, update or sync-jobs)".
  policy.timestamp.changed(changed && movable);
  if (policy.kind !== 'jobs' || !wasJobs) policy.lastUpdated.reset();
  else policy.lastUpdated.changed(changed && syncMovable);
}
