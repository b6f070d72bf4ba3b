import type { components } from '../spec/openapi-types.js';
import type { Cluster, Job, Namespace, Pod } from './store-schema.js';
import type { JOB_STATUSES, POD_PHASES } from './store-schema.js';

// The store's shapes are derived from its one schema (store-schema.ts).
export { JOB_STATUSES, POD_PHASES } from './store-schema.js';
export type { Cluster, Job, JobTracking, Namespace, Pod, Policy, SeedSizes, StoreData } from './store-schema.js';

export type PodPhase = (typeof POD_PHASES)[number];
export type JobStatus = (typeof JOB_STATUSES)[number];

/** The spec's enums, so a new upstream resource kind fails the type check where it matters. */
export type PolicyResource = components['schemas']['PolicyResource'];
export type PolicyType = components['schemas']['PolicyType'];
export type JobFilter = components['schemas']['JobFilter'];

/** The cluster side of the store: what the seed makes and the simulation changes. */
export interface ClusterData {
  clusters: Cluster[];
  namespaces: Namespace[];
  pods: Pod[];
  jobs: Job[];
}
