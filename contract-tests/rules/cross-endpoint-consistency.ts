import { semantics } from '../basis.js';
import { validPolicyBody } from '../bodies.js';
import type { Exchange } from '../client.js';
import { OP, type ResourceKind } from '../operations.js';
import type { Body, PolicyEntry } from '../run-state.js';
import type { RuleContext } from './rule-context.js';
import { defineRule } from './rule.js';

interface Probe {
  label: string;
  kind: ResourceKind;
  body: Body;
  id: string;
}

interface Pod {
  id?: unknown;
  namespace?: unknown;
}
interface Job {
  id?: unknown;
  namespace?: unknown;
  priority?: unknown;
}

/**
 * Rule 10: list, /pods, /jobs and /job-status tell the same story for each kind of policy, and
 * still do after sync-jobs (when job-status must have caught up with /pods and /jobs).
 */
export const crossEndpointConsistency = defineRule({
  id: 'cross_endpoint_consistency',
  basis: semantics('Counts agree everywhere: list `pod_count` = length of `/pods`, `job_count` = `/jobs` `count`.'),
  kind: 'scenario',
  reportOrder: 10,
  runOrder: 6,
  async run(ctx) {
    const s = ctx.runState;
    const p = s.profile;
    const name = (label: string) => s.resourceName(`consistency-${label}`);
    const bodies: Omit<Probe, 'id'>[] = [
      { label: 'pods', kind: 'pods', body: { ...validPolicyBody(p, 'pods', name('pods'), 'full'), resource_ids: p.podIds.slice(0, 3) } },
      { label: 'namespace', kind: 'namespace', body: validPolicyBody(p, 'namespace', name('namespace'), 'full') },
      { label: 'jobs by filter', kind: 'jobs', body: validPolicyBody(p, 'jobs', name('jobs-filter'), 'full') },
      {
        label: 'jobs by id',
        kind: 'jobs',
        body: { ...validPolicyBody(p, 'jobs', name('jobs-ids'), 'full'), resource_ids: p.jobIds.slice(0, 3), job_filter: null },
      },
    ];
    const probes: Probe[] = [];
    for (const b of bodies) {
      const { exchange, id } = await s.createJson(b.body);
      if (ctx.check(id !== undefined, OP.create, `create of a valid ${b.label} policy → 200 with its id`, { exchange })) {
        probes.push({ ...b, id: id as string });
      }
    }
    if (probes.length === 0) return;
    await verify(ctx, probes, false);
    const sync = await s.syncJobs();
    if (!ctx.expectStatus(sync, [200], 'sync-jobs → 200')) return;
    await verify(ctx, probes, true);
  },
});

async function verify(ctx: RuleContext, probes: Probe[], afterSync: boolean): Promise<void> {
  const s = ctx.runState;
  const when = afterSync ? ' (after sync-jobs)' : '';
  const { exchange: listExchange, policies } = await s.list();
  if (!ctx.check(policies !== undefined, OP.list, 'list answers 200 with an array', { exchange: listExchange })) return;
  for (const probe of probes) {
    const entry = policies?.find((e) => e.id === probe.id);
    if (!ctx.check(entry !== undefined, OP.list, `list has the ${probe.label} policy ${probe.id}`, { exchange: listExchange })) continue;
    const podsExchange = await s.pods(probe.id);
    const pods = podsExchange.response.json;
    if (
      !ctx.check(
        podsExchange.response.status === 200 && Array.isArray(pods),
        OP.pods,
        `/pods of a ${probe.label} policy → 200 with an array`,
        { exchange: podsExchange },
      )
    )
      continue;
    const podList = pods as Pod[];
    ctx.check(entry?.pod_count === podList.length, OP.list, `list pod_count equals the length of /pods${when} (${probe.label} policy)`, {
      exchange: podsExchange,
      actual: `list pod_count ${String(entry?.pod_count)}, /pods has ${podList.length}`,
    });
    if (probe.kind === 'pods') {
      const allowed = new Set(probe.body.resource_ids as string[]);
      const strays = podList.filter((pod) => !allowed.has(String(pod.id)));
      ctx.check(strays.length === 0, OP.pods, `every pod of a pods policy is one of its resource_ids${when}`, {
        exchange: podsExchange,
        actual: `not requested: ${strays.map((pod) => String(pod.id)).join(', ')}`,
      });
      // The profile's pods exist, so a pods policy monitors every one of them (none ignored).
      const returned = new Set(podList.map((pod) => String(pod.id)));
      const missing = [...allowed].filter((id) => !returned.has(id));
      ctx.check(missing.length === 0, OP.pods, `a pods policy monitors each of its resource_ids (the profile's pods exist)${when}`, {
        exchange: podsExchange,
        actual: `missing: ${missing.join(', ')}`,
      });
    }
    if (probe.kind === 'namespace') {
      const namespaces = new Set(podList.map((pod) => pod.namespace));
      ctx.check(namespaces.size <= 1, OP.pods, `the pods of a policy on one namespace all share that namespace${when}`, {
        exchange: podsExchange,
        actual: `namespaces: ${[...namespaces].join(', ')}`,
      });
    }
    if (probe.kind === 'jobs') await verifyJobs(ctx, probe, entry as PolicyEntry, podList, podsExchange, afterSync);
    else await verifyNotJobs(ctx, probe);
  }
}

async function verifyJobs(ctx: RuleContext, probe: Probe, entry: PolicyEntry, pods: Pod[], podsExchange: Exchange, afterSync: boolean) {
  const s = ctx.runState;
  const when = afterSync ? ' (after sync-jobs)' : '';
  const jobsExchange = await s.jobs(probe.id);
  const jobsBody = jobsExchange.response.json as { policy_id?: unknown; count?: unknown; affected_jobs?: unknown } | undefined;
  if (
    !ctx.check(
      jobsExchange.response.status === 200 && Array.isArray(jobsBody?.affected_jobs),
      OP.jobs,
      `/jobs of a ${probe.label} policy → 200 with affected_jobs`,
      { exchange: jobsExchange },
    )
  )
    return;
  const jobs = (jobsBody?.affected_jobs ?? []) as Job[];
  ctx.check(jobsBody?.policy_id === probe.id, OP.jobs, `/jobs policy_id is the policy's id`, { exchange: jobsExchange });
  ctx.check(jobsBody?.count === jobs.length, OP.jobs, `/jobs count equals the length of affected_jobs${when}`, {
    exchange: jobsExchange,
    actual: `count ${String(jobsBody?.count)}, ${jobs.length} affected_jobs`,
  });
  ctx.check(entry.job_count === jobsBody?.count, OP.list, `list job_count equals /jobs count${when} (${probe.label} policy)`, {
    exchange: jobsExchange,
    actual: `list job_count ${String(entry.job_count)}, /jobs count ${String(jobsBody?.count)}`,
  });
  const filter = probe.body.job_filter as { namespace?: string | null; priority?: number | null } | null;
  if (filter) {
    const off = jobs.filter(
      (job) =>
        (filter.namespace != null && job.namespace !== filter.namespace) || (filter.priority != null && job.priority !== filter.priority),
    );
    ctx.check(off.length === 0, OP.jobs, `every affected job satisfies job_filter ${JSON.stringify(filter)}${when}`, {
      exchange: jobsExchange,
      actual: `outside the filter: ${off.map((job) => JSON.stringify(job)).join(', ')}`,
    });
    ctx.check(jobs.length > 0, OP.jobs, `the profile's jobFilter matches at least one job, so /jobs is not empty${when}`, {
      exchange: jobsExchange,
    });
    if (filter.namespace != null) {
      const strays = pods.filter((pod) => pod.namespace !== filter.namespace);
      ctx.check(strays.length === 0, OP.pods, `every pod of a jobs policy filtered on namespace ${filter.namespace} is in it${when}`, {
        exchange: podsExchange,
        actual: `pods elsewhere: ${strays.map((pod) => `${String(pod.id)} (${String(pod.namespace)})`).join(', ')}`,
      });
    }
  }
  const requested = probe.body.resource_ids as string[];
  if (requested.length > 0) {
    const strays = jobs.filter((job) => !requested.includes(String(job.id)));
    ctx.check(strays.length === 0, OP.jobs, `every affected job is one of the policy's resource_ids${when}`, {
      exchange: jobsExchange,
      actual: `not requested: ${strays.map((job) => String(job.id)).join(', ')}`,
    });
  }
  const statusExchange = await s.jobStatus(probe.id);
  const status = statusExchange.response.json as
    { policy_id?: unknown; pod_count?: unknown; tracked_pods?: unknown; job_ids?: unknown } | undefined;
  if (
    !ctx.check(
      statusExchange.response.status === 200 && Array.isArray(status?.tracked_pods),
      OP.jobStatus,
      `/job-status of a ${probe.label} policy → 200 with tracked_pods`,
      { exchange: statusExchange },
    )
  )
    return;
  const tracked = (status?.tracked_pods ?? []) as unknown[];
  ctx.check(status?.policy_id === probe.id, OP.jobStatus, `/job-status policy_id is the policy's id`, { exchange: statusExchange });
  ctx.check(status?.pod_count === tracked.length, OP.jobStatus, `/job-status pod_count equals the length of tracked_pods${when}`, {
    exchange: statusExchange,
    actual: `pod_count ${String(status?.pod_count)}, ${tracked.length} tracked_pods`,
  });
  if (afterSync) {
    ctx.check(
      sameSet(
        tracked,
        pods.map((pod) => pod.id),
      ),
      OP.syncJobs,
      'after sync-jobs, /job-status tracked_pods are the pods of /pods',
      {
        exchange: statusExchange,
        actual: `tracked_pods ${JSON.stringify(tracked)}, /pods ids ${JSON.stringify(pods.map((pod) => pod.id))}`,
      },
    );
    const jobIds = Array.isArray(status?.job_ids) ? status.job_ids : [];
    ctx.check(
      sameSet(
        jobIds,
        jobs.map((job) => job.id),
      ),
      OP.syncJobs,
      'after sync-jobs, /job-status job_ids are the jobs of /jobs',
      {
        exchange: statusExchange,
        actual: `job_ids ${JSON.stringify(jobIds)}, /jobs ids ${JSON.stringify(jobs.map((job) => job.id))}`,
      },
    );
  }
}

/** /jobs and /job-status are for jobs policies only: "Policy not found or not a job policy" → 404. */
async function verifyNotJobs(ctx: RuleContext, probe: Probe) {
  const s = ctx.runState;
  ctx.expectStatus(await s.jobs(probe.id), [404], `/jobs of a ${probe.label} policy (not a job policy) → 404`);
  ctx.expectStatus(await s.jobStatus(probe.id), [404], `/job-status of a ${probe.label} policy (not a job policy) → 404`);
}

function sameSet(a: readonly unknown[], b: readonly unknown[]): boolean {
  const sa = new Set(a.map(String));
  const sb = new Set(b.map(String));
  return sa.size === sb.size && [...sa].every((x) => sb.has(x)) && a.length === b.length;
}
