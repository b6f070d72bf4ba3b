import { randomUUID } from 'node:crypto';
import { badRequest, notFound, type ProblemDetail } from '../http/api-error.js';
import type { components } from '../spec/openapi-types.js';
import type { Policy, PolicyResource } from '../store/model.js';
import type { Store } from '../store/store.js';
import { matchedJobs, monitoredPodCount, monitoredPods, trackJobs, type PolicyScope } from './match.js';

type Schemas = components['schemas'];
export type PolicyRequest = Schemas['PolicyRequest'];
export type PolicyDeleteRequest = Schemas['PolicyDeleteRequest'];
export type PolicyResponse = Schemas['PolicyResponse'];
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
  /** The list as last sent (validated) and the store version it was computed at; see `sentList`. */
  #sentList: { version: number; body: Buffer } | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The store's version now: `list()` answers stay the same for as long as it does. */
  get version(): number {
    return this.store.version;
  }

  async create(request: PolicyRequest): Promise<string> {
    const id = request.id ?? randomUUID();
    if (request.id != null) {
      if (!isUuid(request.id)) throw badRequest(`id must be a UUID, got "${request.id}"`, [{ path: '/body/id', message: 'must be a UUID' }]);
      if (this.store.policy(request.id)) throw badRequest(`a policy with id ${request.id} already exists`, [{ path: '/body/id', message: 'is taken' }]);
    }
    const policy = this.#toPolicy(id, request, undefined);
    this.store.insertPolicy(policy);
    await this.store.persist();
    return id;
  }

  async update(request: PolicyRequest): Promise<string> {
    if (request.id == null) throw badRequest('id is required to update a policy', [{ path: '/body/id', message: 'is required' }]);
    const existing = this.store.policy(request.id);
    if (!existing) throw badRequest(`no policy with id ${request.id}`, [{ path: '/body/id', message: 'does not exist' }]);
    this.store.replacePolicy(this.#toPolicy(existing.id, request, existing));
    await this.store.persist();
    return existing.id;
  }

  async remove(id: string): Promise<string> {
    if (!this.store.policy(id)) throw badRequest(`no policy with id ${id}`, [{ path: '/body/id', message: 'does not exist' }]);
    this.store.removePolicy(id);
    await this.store.persist();
    return `Policy ${id} deleted`;
  }

  /**
   * The list serialised as already sent, once, through response validation, if the store has not
   * changed since: the list changes only when the state does, so it is computed, validated and
   * serialised once per change rather than once per request.
   */
  sentList(): Buffer | undefined {
    const sent = this.#sentList;
    return sent && sent.version === this.store.version ? sent.body : undefined;
  }

  /** Records `json`, the list computed at `version`, as sent with a 200 (so it passed response validation). */
  rememberSentList(version: number, json: string): void {
    if (version === this.store.version) this.#sentList = { version, body: Buffer.from(json) };
  }

  list(): PolicyResponse[] {
    const { index } = this.store;
    // Jobs policies with the same scope (e.g. every job of one namespace) match the same jobs:
    // matched once per scope, not once per policy (thousands of policies, a few dozen scopes).
    const byScope = new Map<string, { jobs: number; pods: number }>();
    const jobCounts = (policy: Policy) => {
      const key = JSON.stringify([policy.clusterId, policy.resourceIds, policy.jobFilter?.namespace ?? null, policy.jobFilter?.priority ?? null]);
      let counts = byScope.get(key);
      if (!counts) {
        const jobs = matchedJobs(policy, index);
        counts = { jobs: jobs.length, pods: jobs.reduce((n, job) => n + index.podsOfJob(job.id).length, 0) };
        byScope.set(key, counts);
      }
      return counts;
    };
    return this.store.policies.map((policy) => {
      const jobs = policy.resource === 'jobs' ? jobCounts(policy) : null;
      return {
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
    });
  }

  pods(id: string): PolicyPodResponse[] {
    if (!isUuid(id)) throw badRequest(`policy_id must be a UUID, got "${id}"`, [{ path: '/path/policy_id', message: 'must be a UUID' }]);
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
  async syncJobs(): Promise<string> {
    const now = this.now().toISOString();
    const jobPolicies = this.store.policies.filter((p) => p.resource === 'jobs');
    for (const policy of jobPolicies) {
      this.store.replacePolicy({ ...policy, tracking: trackJobs(policy, this.store.index, now) });
    }
    await this.store.persist();
    return `Synced ${jobPolicies.length} job ${jobPolicies.length === 1 ? 'policy' : 'policies'}`;
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

  #toPolicy(id: string, request: PolicyRequest, existing: Policy | undefined): Policy {
    const scope: PolicyScope = {
      clusterId: request.cluster_id,
      resource: request.resource ?? 'pods',
      resourceIds: request.resource_ids,
      // Only the filter's own fields: the schema lets clients send more, which must not be stored.
      jobFilter: request.job_filter ? { namespace: request.job_filter.namespace ?? null, priority: request.job_filter.priority ?? null } : null,
    };
    this.#assertScopeExists(scope);
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
      tracking: trackJobs(scope, this.store.index, now),
    };
  }

  /** The cluster and every listed resource must exist, and the resources must be in that cluster. */
  #assertScopeExists(scope: PolicyScope): void {
    const { index } = this.store;
    if (!index.clusters.has(scope.clusterId)) {
      throw badRequest(`unknown cluster_id ${scope.clusterId}`, [{ path: '/body/cluster_id', message: 'does not exist' }]);
    }
    const lookup = { pods: index.pods, namespace: index.namespaces, jobs: index.jobs }[scope.resource];
    const problems: ProblemDetail[] = [];
    const unknown: string[] = [];
    scope.resourceIds.forEach((resourceId, i) => {
      if (lookup.get(resourceId)?.clusterId === scope.clusterId) return;
      unknown.push(resourceId);
      problems.push({ path: `/body/resource_ids/${i}`, message: `no ${KIND_NAMES[scope.resource]} ${resourceId} in cluster ${scope.clusterId}` });
    });
    if (unknown.length > 0) {
      throw badRequest(`unknown ${KIND_NAMES[scope.resource]} ids in cluster ${scope.clusterId}: ${unknown.join(', ')}`, problems);
    }
  }
}
