import type { ModelPolicy } from '../policy-model.js';
import type { StepContext } from '../step-context.js';

export async function syncStep(c: StepContext): Promise<void> {
  const jobsPolicies = [...c.live.values()].filter((p) => p.kind === 'jobs');
  const movable = new Map<ModelPolicy, boolean>();
  for (const p of jobsPolicies) movable.set(p, await p.lastUpdated.settle());
  const exchange = c.note(await c.runState.syncJobs());
  if (!c.expectStatus(exchange, [200], 'sync-jobs → 200')) return;
  for (const p of jobsPolicies) {
    c.resync(p);
    p.lastUpdated.changed(movable.get(p) ?? false);
  }
  // README does not say whether a sync is a "change" of a policy: its list timestamp may stay or move on.
  for (const p of jobsPolicies) p.timestamp.changed(false);
}
