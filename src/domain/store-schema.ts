import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/** Kubernetes pod phases. */
export const POD_PHASES = ['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown'] as const;
/** Kubernetes Job conditions as a UI shows them. */
export const JOB_STATUSES = ['Running', 'Complete', 'Failed', 'Suspended'] as const;
/** The store's collections, in the order a snapshot lists them. */
export const COLLECTIONS = ['clusters', 'namespaces', 'pods', 'jobs', 'policies'] as const;

const uuid = { type: 'string', format: 'uuid' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const;
// Integers past 2^53 are not kept exactly (JSON numbers are doubles here): refused, as by the API.
const exactCount = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;
/** An object with exactly these properties, all required. */
const entity = <const P extends Record<string, JSONSchema>>(properties: P) =>
  ({ type: 'object', required: Object.keys(properties) as Array<keyof P & string>, properties, additionalProperties: false }) as const;

/*
 * One schema for the store document (ours, not the API's): what a snapshot or a --db file must
 * be. The model's types are derived from it (json-schema-to-ts), so the two cannot drift apart.
 */
export const CLUSTER_SCHEMA = entity({ id: uuid, name: { type: 'string' } });
export const NAMESPACE_SCHEMA = entity({ id: uuid, clusterId: uuid, name: { type: 'string', minLength: 1 } });
export const POD_SCHEMA = entity({
  id: uuid,
  clusterId: uuid,
  namespaceId: uuid,
  name: { type: 'string', minLength: 1 },
  status: { enum: POD_PHASES },
  /** The job that owns the pod; null for pods of Deployments and StatefulSets. */
  jobId: { anyOf: [uuid, { type: 'null' }] },
});
export const JOB_SCHEMA = entity({
  id: uuid,
  clusterId: uuid,
  namespaceId: uuid,
  name: { type: 'string', minLength: 1 },
  /** The value of the job's PriorityClass (int32). */
  priority: int32,
  status: { enum: JOB_STATUSES },
});
/** What a jobs policy tracked at its last sync (create, update or sync-jobs). */
export const JOB_TRACKING_SCHEMA = entity({
  jobIds: { type: 'array', items: uuid },
  podIds: { type: 'array', items: uuid },
  jobStatus: { type: ['string', 'null'] },
  syncedAt: dateTime,
});
export const POLICY_SCHEMA = entity({
  id: uuid,
  clusterId: { type: 'string' },
  /** Checkpoint interval in seconds. */
  heartbeatTime: exactCount,
  policyType: { enum: ['heartbeat'] },
  resource: { enum: ['pods', 'namespace', 'jobs'] },
  resourceIds: { type: 'array', items: uuid },
  resourceName: { type: ['string', 'null'] },
  runcRoot: { type: ['string', 'null'] },
  jobFilter: {
    anyOf: [
      { type: 'null' },
      {
        type: 'object',
        additionalProperties: false,
        properties: { namespace: { type: ['string', 'null'] }, priority: { anyOf: [int32, { type: 'null' }] } },
      },
    ],
  },
  createdAt: dateTime,
  updatedAt: dateTime,
  /** Only for `jobs` policies. */
  tracking: { anyOf: [{ type: 'null' }, JOB_TRACKING_SCHEMA] },
});
export const SEED_SIZES_SCHEMA = entity({
  clusters: exactCount,
  namespaces: exactCount,
  pods: exactCount,
  jobs: exactCount,
  policies: exactCount,
});

export const STORE_SCHEMA = entity({
  meta: entity({ seed: exactCount, sizes: SEED_SIZES_SCHEMA }),
  clusters: { type: 'array', items: CLUSTER_SCHEMA },
  namespaces: { type: 'array', items: NAMESPACE_SCHEMA },
  pods: { type: 'array', items: POD_SCHEMA },
  jobs: { type: 'array', items: JOB_SCHEMA },
  policies: { type: 'array', items: POLICY_SCHEMA },
});

export type Cluster = FromSchema<typeof CLUSTER_SCHEMA>;
export type Namespace = FromSchema<typeof NAMESPACE_SCHEMA>;
export type Pod = FromSchema<typeof POD_SCHEMA>;
export type Job = FromSchema<typeof JOB_SCHEMA>;
export type JobTracking = FromSchema<typeof JOB_TRACKING_SCHEMA>;
export type Policy = FromSchema<typeof POLICY_SCHEMA>;
export type SeedSizes = FromSchema<typeof SEED_SIZES_SCHEMA>;
export type StoreData = FromSchema<typeof STORE_SCHEMA>;
