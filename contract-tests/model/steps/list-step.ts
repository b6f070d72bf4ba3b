import type { Exchange } from '../../client.js';
import { OP } from '../../operations.js';
import type { PolicyEntry } from '../../run-state.js';
import { matchedJobs, monitoredPods, sameResourceList, type ModelPolicy } from '../policy-model.js';
import { describe, type Pools, type StepContext } from '../step-context.js';

export async function listStep(c: StepContext, pools: Pools): Promise<void> {
  const s = c.runState;
  const { exchange, policies } = await s.list();
  c.note(exchange);
  if (!c.expectStatus(exchange, [200], 'list → 200 with an array')) return;
  if (!c.expect(policies !== undefined, 'list → 200 with an array', () => describe(exchange), OP.list, exchange)) return;
  const listed = policies ?? [];
  for (const handle of pools.live) {
    const policy = c.live.get(handle);
    if (!policy) continue;
    const entries = listed.filter((e) => e.id === policy.id);
    if (
      !c.expect(
        entries.length === 1,
        'list shows each policy of this run that is not deleted, once',
        () => `policy #${handle} (${policy.id}) listed ${entries.length} times`,
        OP.list,
        exchange,
      )
    )
      continue;
    checkEntry(c, policy, entries[0] as PolicyEntry, exchange);
  }
  for (const [handle, id] of c.deletedIds) {
    c.expect(
      !listed.some((e) => e.id === id),
      'a deleted policy is gone from list',
      () => `deleted policy #${handle} (${id}) is listed`,
      OP.list,
      exchange,
    );
  }
  const strangers = listed.map((e) => e.id).filter((id) => !c.before.has(id) && !c.madeIds.has(id));
  const ours = s.adoptNew(strangers);
  c.expect(
    ours.length === 0,
    'no policy appears that no accepted create made (a refused request changes nothing)',
    () => `new in list: ${ours.join(', ')}`,
    OP.list,
    exchange,
  );
}

function checkEntry(c: StepContext, p: ModelPolicy, e: PolicyEntry, exchange: Exchange): void {
  const where = `policy #${p.handle} (${p.id})`;
  const field = (label: string, ok: boolean, shown: unknown, want: unknown) =>
    c.expect(
      ok,
      label,
      () => `${where}: list shows ${JSON.stringify(shown)}, the model expects ${JSON.stringify(want)}`,
      OP.list,
      exchange,
    );
  const entry = e as PolicyEntry & { status?: unknown };
  // README: `status` "active", `input` = heartbeat_time, `resource_list` = resource ids; `resource` defaults to pods, `policy_type` to heartbeat.
  field('list status is "active"', entry.status === 'active', entry.status, 'active');
  field('list policy_type is the one sent, heartbeat by default', entry.policy_type === 'heartbeat', entry.policy_type, 'heartbeat');
  field('list input is the heartbeat_time sent', entry.input === p.heartbeat, entry.input, p.heartbeat);
  field('list resource is the kind sent (pods when none was sent)', entry.resource === p.kind, entry.resource, p.kind);
  field(
    'list resource_list is the resource_ids sent',
    sameResourceList(entry.resource_list, p.resourceIds),
    entry.resource_list,
    p.resourceIds,
  );
  const pods = monitoredPods(p, c.learned);
  if (pods)
    field('list pod_count is the number of distinct pods the policy monitors', entry.pod_count === pods.size, entry.pod_count, pods.size);
  if (p.kind === 'jobs') {
    const jobs = matchedJobs(p, c.learned).length;
    field('list job_count is the number of distinct jobs a jobs policy matches', entry.job_count === jobs, entry.job_count, jobs);
  } else {
    // README: `job_count` = matched jobs (jobs policies; null otherwise).
    field('list job_count is null for a policy that is not a jobs policy', entry.job_count == null, entry.job_count, null);
  }
  const moved = p.timestamp.observe(entry.timestamp);
  if (moved) {
    const label = moved.moved
      ? 'list timestamp moves forward when the policy changes (README: `timestamp` = last change)'
      : 'list timestamp stays as it was while the policy does not change (reads, refusals, other policies)';
    c.expect(false, label, () => `${where}: was ${JSON.stringify(moved.from)}, now ${JSON.stringify(entry.timestamp)}`, OP.list, exchange);
  }
}
