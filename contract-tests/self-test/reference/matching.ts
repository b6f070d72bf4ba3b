import { REFERENCE_DATA as DATA } from '../reference-data.js';
import type { Policy, ReferenceState } from './reference-state.js';

// The matching rules, written here a third time on purpose: src/domain/match.ts (the mock) and
// contract-tests/model/policy-model.ts (the suite's model) are the other two. Three independent
// oracles: a mistake in one shows as a disagreement with the others, so never share code between them.

type Scope = Pick<Policy, 'resource' | 'resourceIds' | 'jobFilter'>;

/** The jobs a jobs policy matches: its resource_ids (every job of the cluster when none), narrowed by job_filter. */
export function matchedJobs(s: ReferenceState, p: Scope): typeof DATA.jobs {
  if (p.resource !== 'jobs') return [];
  const ids = new Set(p.resourceIds);
  const filtered = p.jobFilter != null && (p.jobFilter.namespace != null || p.jobFilter.priority != null);
  // The fault: with a filter, the listed ids are forgotten (every job of the cluster is filtered).
  const byIds = (j: { id: string }) => ids.size === 0 || ids.has(j.id) || (s.has('job_filter_ignores_resource_ids') && filtered);
  const all = s.has('all_jobs_across_clusters') && ids.size === 0 ? [...s.jobs, ...(DATA.other?.jobs ?? [])] : s.jobs;
  const candidates =
    s.has('duplicate_ids_counted_twice') && ids.size > 0 ? p.resourceIds.flatMap((id) => s.jobs.filter((j) => j.id === id)) : all;
  // The priority_zero_ignored fault: a truthiness test, so priority 0 reads as "no filter".
  const noPriority = s.has('priority_zero_ignored') ? !p.jobFilter?.priority : p.jobFilter?.priority == null;
  return candidates.filter(
    (j) =>
      byIds(j) &&
      (p.jobFilter?.namespace == null ||
        (s.has('empty_namespace_filter_ignored') && p.jobFilter.namespace === '') ||
        j.namespace === p.jobFilter.namespace) &&
      (s.has('ignores_priority_filter') || noPriority || j.priority === p.jobFilter?.priority),
  );
}

/** The pods a policy monitors: its pods, the pods of its namespaces (of this cluster), or the pods of its jobs. */
export function monitoredPods(s: ReferenceState, p: Scope): typeof DATA.pods {
  if (p.resource === 'pods') {
    if (s.has('duplicate_ids_counted_twice')) return p.resourceIds.flatMap((id) => DATA.pods.filter((pod) => pod.id === id));
    return s.has('pods_policy_monitors_nothing') ? [] : DATA.pods.filter((pod) => p.resourceIds.includes(pod.id));
  }
  if (p.resource === 'namespace') {
    const names = DATA.namespaces.filter((n) => p.resourceIds.includes(n.id)).map((n) => n.name);
    // namespace_pods_across_clusters: joined on the namespace name alone, whatever the cluster.
    const pool = s.has('namespace_pods_across_clusters') ? [...DATA.pods, ...(DATA.other?.pods ?? [])] : DATA.pods;
    return pool.filter((pod) => names.includes(pod.namespace) && (!s.has('namespace_running_pods_only') || pod.status === 'Running'));
  }
  if (s.has('jobs_policy_pods_whole_namespace')) {
    const names = new Set(matchedJobs(s, p).map((j) => j.namespace));
    return DATA.pods.filter((pod) => names.has(pod.namespace));
  }
  const podIds = new Set(matchedJobs(s, p).flatMap((j) => j.podIds));
  return [...DATA.pods, ...(DATA.other?.pods ?? [])].filter((pod) => podIds.has(pod.id));
}

/** A sync of one jobs policy: what it tracks from now on, and when. */
export function track(s: ReferenceState, p: Policy): void {
  const scope = s.has('sync_keeps_created_filter') && p.createdScope ? { ...p, ...p.createdScope } : p;
  p.tracked = {
    jobIds: matchedJobs(s, scope).map((j) => j.id),
    podIds: monitoredPods(s, scope).map((pod) => pod.id),
    at: s.has('sync_keeps_last_updated') && p.tracked.at !== '' ? p.tracked.at : s.stamp(new Date()),
  };
}
