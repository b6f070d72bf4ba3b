import type { components } from '../spec/openapi-types.js';
import type { ClusterIndex } from './cluster-index.js';
import { matchedJobs, monitoredPodCount } from './match.js';
import type { Policy } from './model.js';

export type PolicyResponse = components['schemas']['PolicyResponse'];

interface Entries {
  byPolicy: WeakMap<Policy, PolicyResponse>;
  /** Jobs policies of one scope (e.g. every job of a namespace) count the same jobs: counted once. */
  byScope: Map<string, { jobs: number; pods: number }>;
}

const entriesOf = new WeakMap<ClusterIndex, Entries>();

/**
 * A policy's list entry over a cluster, made once: a policy is never edited (a write puts a new
 * one) and an index stands for one cluster, so after a write to one of 10,000 policies the list
 * computes one entry, not 10,000. Entries are shared between answers and never changed.
 */
export function listEntry(policy: Policy, index: ClusterIndex): PolicyResponse {
  let entries = entriesOf.get(index);
  if (!entries) {
    entries = { byPolicy: new WeakMap(), byScope: new Map() };
    entriesOf.set(index, entries);
  }
  let entry = entries.byPolicy.get(policy);
  if (!entry) {
    const jobs = policy.resource === 'jobs' ? jobCounts(policy, index, entries.byScope) : null;
    entry = {
      id: policy.id,
      status: 'active',
      policy_type: policy.policyType,
      input: policy.heartbeatTime,
      resource: policy.resource,
      resource_list: [...policy.resourceIds],
      pod_count: jobs ? jobs.pods : monitoredPodCount(policy, index),
      job_count: jobs ? jobs.jobs : null,
      timestamp: policy.updatedAt,
    };
    entries.byPolicy.set(policy, entry);
  }
  return entry;
}

function jobCounts(policy: Policy, index: ClusterIndex, byScope: Entries['byScope']): { jobs: number; pods: number } {
  const key = JSON.stringify([
    policy.clusterId,
    policy.resourceIds,
    policy.jobFilter?.namespace ?? null,
    policy.jobFilter?.priority ?? null,
  ]);
  let counts = byScope.get(key);
  if (!counts) {
    const jobs = matchedJobs(policy, index);
    counts = { jobs: jobs.length, pods: jobs.reduce((n, job) => n + index.podsOfJob(job.id).length, 0) };
    byScope.set(key, counts);
  }
  return counts;
}
