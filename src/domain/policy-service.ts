import { randomUUID } from 'node:crypto';
import { invalid, notFound, type ProblemDetail } from './refusal.js';
import type { components } from '../spec/openapi-types.js';
import type { Policy, PolicyResource } from './model.js';
import type { ClusterIndex } from './cluster-index.js';
import type { PolicyStore, StateReader } from './policy-store.js';
import { listEntry, type PolicyResponse } from './list-entry.js';
import { matchedJobs, monitoredPods, trackJobs, type PolicyScope } from './match.js';

export type { PolicyResponse } from './list-entry.js';

type Schemas = components['schemas'];
export type PolicyRequest = Schemas['PolicyRequest'];
export type PolicyDeleteRequest = Schemas['PolicyDeleteRequest'];
export type PolicyPodResponse = Schemas['PolicyPodResponse'];
export type PolicyJobsResponse = Schemas['PolicyJobsResponse'];
export type JobPolicyStatus = Schemas['JobPolicyStatus'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND_NAMES: Record<PolicyResource, string> = { pods: 'pod', namespace: 'namespace', jobs: 'job' };

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * The Policy API's meaning, over the store: what a request changes and what it answers.
 * Every check runs before anything changes, so a refused request leaves the store as it was.
 */
export class PolicyService {
  constructor(
    private readonly store: PolicyStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Ids are unique across the whole store (clusters, namespaces, pods, jobs, policies): a UUID
   * names one thing, which is also what a snapshot or a --db file is checked for.
   */
  create(request: PolicyRequest): Promise<string> {
    return this.store.transact((draft) => {
      const id = request.id ?? newId(draft);
      if (request.id != null) {
        if (!isUuid(request.id)) throw invalid(`id must be a UUID, got "${request.id}"`, [{ path: '/body/id', message: 'must be a UUID' }]);
        if (draft.policy(request.id))
          throw invalid(`a policy with id ${request.id} already exists`, [{ path: '/body/id', message: 'is taken' }]);
        if (draft.hasId(request.id))
          throw invalid(`id ${request.id} is taken by a cluster, namespace, pod or job; ids are unique across the store`, [
            { path: '/body/id', message: 'is taken' },
          ]);
      }
      draft.putPolicy(this.#toPolicy(draft, id, request, undefined));
      return id;
    });
  }

  update(request: PolicyRequest): Promise<string> {
    return this.store.transact((draft) => {
      if (request.id == null) throw invalid('id is required to update a policy', [{ path: '/body/id', message: 'is required' }]);
      const existing = draft.policy(request.id);
      if (!existing) throw invalid(`no policy with id ${request.id}`, [{ path: '/body/id', message: 'does not exist' }]);
      draft.putPolicy(this.#toPolicy(draft, existing.id, request, existing));
      return existing.id;
    });
  }

  remove(id: string): Promise<string> {
    return this.store.transact((draft) => {
      if (!draft.policy(id)) throw invalid(`no policy with id ${id}`, [{ path: '/body/id', message: 'does not exist' }]);
      draft.removePolicy(id);
      return `Policy ${id} deleted`;
    });
  }

  list(): PolicyResponse[] {
    const { index } = this.store;
    return this.store.policies.map((policy) => listEntry(policy, index));
  }

  pods(id: string): PolicyPodResponse[] {
    if (!isUuid(id)) throw invalid(`policy_id must be a UUID, got "${id}"`, [{ path: '/path/policy_id', message: 'must be a UUID' }]);
    const policy = this.#existing(id);
    const { index } = this.store;
    return monitoredPods(policy, index).map((pod) => ({
      id: pod.id,
      name: pod.name,
      namespace: index.namespaceName(pod.namespaceId),
      status: pod.status,
    }));
  }

  jobs(id: string): PolicyJobsResponse {
    const policy = this.#jobsPolicy(id);
    const { index } = this.store;
    const affected = matchedJobs(policy, index).map((job) => ({
      id: job.id,
      name: job.name,
      namespace: index.namespaceName(job.namespaceId),
      status: job.status,
      priority: job.priority,
      pod_count: index.podsOfJob(job.id).length,
    }));
    return { policy_id: policy.id, affected_jobs: affected, count: affected.length };
  }

  jobStatus(id: string): JobPolicyStatus {
    const policy = this.#jobsPolicy(id);
    const tracking = policy.tracking ?? trackJobs(policy, this.store.index, policy.updatedAt);
    return {
      policy_id: policy.id,
      job_ids: tracking?.jobIds ?? [],
      tracked_pods: tracking?.podIds ?? [],
      pod_count: tracking?.podIds.length ?? 0,
      job_status: tracking?.jobStatus ?? null,
      last_updated: tracking?.syncedAt ?? null,
    };
  }

  /** Re-evaluates every jobs policy against the jobs and pods as they are now. */
  syncJobs(): Promise<string> {
    return this.store.transact((draft) => {
      const now = this.now().toISOString();
      const jobPolicies = [...draft.allPolicies()].filter((p) => p.resource === 'jobs');
      for (const policy of jobPolicies) draft.putPolicy({ ...policy, tracking: trackJobs(policy, draft.index, now) });
      return `Synced ${jobPolicies.length} job ${jobPolicies.length === 1 ? 'policy' : 'policies'}`;
    });
  }

  #existing(id: string): Policy {
    const policy = this.store.policy(id);
    if (!policy) throw notFound(`no policy with id ${id}`);
    return policy;
  }

  /** /jobs and /job-status declare only 404 for a missing, malformed or non-jobs policy. */
  #jobsPolicy(id: string): Policy {
    const policy = this.#existing(id);
    if (policy.resource !== 'jobs') throw notFound(`policy ${id} is a ${policy.resource} policy, not a jobs policy`);
    return policy;
  }

  #toPolicy(draft: StateReader, id: string, request: PolicyRequest, existing: Policy | undefined): Policy {
    const scope: PolicyScope = {
      clusterId: request.cluster_id,
      resource: request.resource ?? 'pods',
      resourceIds: request.resource_ids,
      // Only the filter's own fields: the schema lets clients send more, which must not be stored.
      jobFilter: request.job_filter
        ? { namespace: request.job_filter.namespace ?? null, priority: request.job_filter.priority ?? null }
        : null,
    };
    assertHeartbeatKeptExactly(request.heartbeat_time);
    assertScopeExists(draft.index, scope);
    const now = this.now().toISOString();
    return {
      id,
      clusterId: scope.clusterId,
      heartbeatTime: request.heartbeat_time,
      policyType: request.policy_type ?? 'heartbeat',
      resource: scope.resource,
      resourceIds: [...scope.resourceIds],
      resourceName: request.resource_name ?? null,
      runcRoot: request.runc_root ?? null,
      jobFilter: scope.jobFilter,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      // Creating or updating a jobs policy is a sync of that policy.
      tracking: trackJobs(scope, draft.index, now),
    };
  }
}

/** The cluster and every listed resource must exist, and the resources must be in that cluster. */
function assertScopeExists(index: ClusterIndex, scope: PolicyScope): void {
  if (!index.clusters.has(scope.clusterId)) {
    throw invalid(`unknown cluster_id ${scope.clusterId}`, [{ path: '/body/cluster_id', message: 'does not exist' }]);
  }
  const lookup = { pods: index.pods, namespace: index.namespaces, jobs: index.jobs }[scope.resource];
  const problems: ProblemDetail[] = [];
  const unknown: string[] = [];
  scope.resourceIds.forEach((resourceId, i) => {
    if (lookup.get(resourceId)?.clusterId === scope.clusterId) return;
    unknown.push(resourceId);
    problems.push({
      path: `/body/resource_ids/${i}`,
      message: `no ${KIND_NAMES[scope.resource]} ${resourceId} in cluster ${scope.clusterId}`,
    });
  });
  if (unknown.length > 0) {
    throw invalid(`unknown ${KIND_NAMES[scope.resource]} ids in cluster ${scope.clusterId}: ${unknown.join(', ')}`, problems);
  }
}

/**
 * JSON numbers are doubles here: past 2^53 an integer is not kept as sent (9007199254740993 would
 * be stored as ...992). Refused, rather than silently changed.
 */
function assertHeartbeatKeptExactly(value: number): void {
  if (Number.isSafeInteger(value)) return;
  throw invalid(
    `heartbeat_time ${value} cannot be kept exactly: this mock keeps integers exactly up to ${Number.MAX_SAFE_INTEGER} (2^53 - 1)`,
    [{ path: '/body/heartbeat_time', message: `must be at most ${Number.MAX_SAFE_INTEGER} to be kept exactly` }],
  );
}

/** A random UUID that names nothing in the store yet. */
function newId(draft: StateReader): string {
  let id = randomUUID();
  while (draft.hasId(id)) id = randomUUID();
  return id;
}
