import type { components } from '../spec/openapi-types.js';

/** Kubernetes pod phases. */
export const POD_PHASES = ['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'] as const;
export type PodPhase = (typeof POD_PHASES)[number];

/** Kubernetes Job conditions as a UI shows them. */
export const JOB_STATUSES = ['Running', 'Complete', 'Failed', 'Suspended'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The spec's enums, so a new upstream resource kind fails the type check where it matters. */
export type PolicyResource = components['schemas']['PolicyResource'];
export type PolicyType = components['schemas']['PolicyType'];
export type JobFilter = components['schemas']['JobFilter'];

export interface Cluster {
  id: string;
  name: string;
}

export interface Namespace {
  id: string;
  clusterId: string;
  name: string;
}

export interface Pod {
  id: string;
  clusterId: string;
  namespaceId: string;
  name: string;
  status: PodPhase;
  /** The job that owns the pod; null for pods of Deployments and StatefulSets. */
  jobId: string | null;
}

export interface Job {
  id: string;
  clusterId: string;
  namespaceId: string;
  name: string;
  /** The value of the job's PriorityClass (int32). */
  priority: number;
  status: JobStatus;
}

/** What a jobs policy tracked at its last sync (create, update or sync-jobs). */
export interface JobTracking {
  jobIds: string[];
  podIds: string[];
  jobStatus: string | null;
  syncedAt: string;
}

export interface Policy {
  id: string;
  clusterId: string;
  /** Checkpoint interval in seconds. */
  heartbeatTime: number;
  policyType: PolicyType;
  resource: PolicyResource;
  resourceIds: string[];
  resourceName: string | null;
  runcRoot: string | null;
  jobFilter: JobFilter | null;
  createdAt: string;
  updatedAt: string;
  /** Only for `jobs` policies. */
  tracking: JobTracking | null;
}

/** The cluster side of the store: what the seed makes and the simulation changes. */
export interface ClusterData {
  clusters: Cluster[];
  namespaces: Namespace[];
  pods: Pod[];
  jobs: Job[];
}

export interface SeedSizes {
  clusters: number;
  namespaces: number;
  pods: number;
  jobs: number;
  policies: number;
}

export interface StoreData {
  meta: { seed: number; sizes: SeedSizes };
  clusters: Cluster[];
  namespaces: Namespace[];
  pods: Pod[];
  jobs: Job[];
  policies: Policy[];
}
