import type { ClusterIndex } from './cluster-index.js';
import type { Job, JobTracking, Pod, Policy } from './model.js';

// The matching rules, written three times on purpose: here (the mock), in
// contract-tests/model/policy-model.ts (the suite's model) and in
// contract-tests/self-test/reference/matching.ts (the reference server). Three independent oracles:
// a mistake in one shows as a disagreement with the others, so they never share code.

/** The settings that decide what a policy covers. */
export type PolicyScope = Pick<Policy, 'clusterId' | 'resource' | 'resourceIds' | 'jobFilter'>;

/**
 * Jobs a `jobs` policy matches: the listed jobs (every job of the cluster when none is listed),
 * narrowed by the filter's namespace name and priority. Other kinds match no jobs.
 */
export function matchedJobs(scope: PolicyScope, index: ClusterIndex): Job[] {
  if (scope.resource !== 'jobs') return [];
  const namespace = scope.jobFilter?.namespace ?? null;
  const priority = scope.jobFilter?.priority ?? null;
  const candidates =
    scope.resourceIds.length > 0
      ? unique(scope.resourceIds).flatMap((id) => index.jobs.get(id) ?? [])
      : // The cluster's jobs in that namespace straight from the index, not a scan of all its jobs.
        namespace !== null
        ? index.jobsInNamespaceNamed(scope.clusterId, namespace)
        : index.jobsInCluster(scope.clusterId);
  return candidates.filter(
    (job) => (namespace === null || index.namespaceName(job.namespaceId) === namespace) && (priority === null || job.priority === priority),
  );
}

/** Pods a policy monitors now: the listed pods, every pod of the listed namespaces, or the matched jobs' pods. */
export function monitoredPods(scope: PolicyScope, index: ClusterIndex): Pod[] {
  switch (scope.resource) {
    case 'pods':
      // Pods that have gone away since the policy was written are simply no longer monitored.
      return unique(scope.resourceIds).flatMap((id) => index.pods.get(id) ?? []);
    case 'namespace':
      return unique(scope.resourceIds).flatMap((id) => index.podsInNamespace(id));
    case 'jobs':
      return matchedJobs(scope, index).flatMap((job) => index.podsOfJob(job.id));
  }
}

/**
 * How many pods a policy monitors now: `monitoredPods(...).length`, without building the list (a
 * namespace policy on a big cluster covers thousands of pods, and the list counts every policy's).
 */
export function monitoredPodCount(scope: PolicyScope, index: ClusterIndex): number {
  let count = 0;
  switch (scope.resource) {
    case 'pods':
      for (const id of unique(scope.resourceIds)) if (index.pods.has(id)) count++;
      return count;
    case 'namespace':
      // A pod is in one namespace, so the namespaces' pods never overlap.
      for (const id of unique(scope.resourceIds)) count += index.podsInNamespace(id).length;
      return count;
    case 'jobs':
      // A pod belongs to one job, and matched jobs are distinct.
      for (const job of matchedJobs(scope, index)) count += index.podsOfJob(job.id).length;
      return count;
  }
}

/** The tracking state a sync records for a jobs policy; null for other kinds. */
export function trackJobs(scope: PolicyScope, index: ClusterIndex, now: string): JobTracking | null {
  if (scope.resource !== 'jobs') return null;
  const jobs = matchedJobs(scope, index);
  return {
    jobIds: jobs.map((job) => job.id),
    podIds: jobs.flatMap((job) => index.podsOfJob(job.id).map((pod) => pod.id)),
    jobStatus: summarizeJobs(jobs),
    syncedAt: now,
  };
}

/** One word for a set of jobs, most urgent first: any Running makes the set Running. */
export function summarizeJobs(jobs: readonly Job[]): string | null {
  for (const status of ['Running', 'Suspended', 'Failed', 'Complete'] as const) {
    if (jobs.some((job) => job.status === status)) return status;
  }
  return null;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
