import { JOB_STATUSES, POD_PHASES } from '../domain/model.js';

const uuid = { type: 'string', format: 'uuid' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const;
const entity = (properties: Record<string, unknown>) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  additionalProperties: false,
});

/** The store's collections, in the order a snapshot lists them. */
export const COLLECTIONS = ['clusters', 'namespaces', 'pods', 'jobs', 'policies'] as const;

/** JSON Schema (2020-12) of the store document (ours, not the API's): what a snapshot must be. */
export const STORE_SCHEMA = {
  type: 'object',
  required: ['meta', 'clusters', 'namespaces', 'pods', 'jobs', 'policies'],
  additionalProperties: false,
  properties: {
    meta: {
      type: 'object',
      required: ['seed', 'sizes'],
      additionalProperties: false,
      properties: {
        seed: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        sizes: {
          type: 'object',
          required: ['clusters', 'namespaces', 'pods', 'jobs', 'policies'],
          additionalProperties: false,
          properties: Object.fromEntries(['clusters', 'namespaces', 'pods', 'jobs', 'policies'].map((k) => [k, { type: 'integer', minimum: 0 }])),
        },
      },
    },
    clusters: { type: 'array', items: entity({ id: uuid, name: { type: 'string' } }) },
    namespaces: { type: 'array', items: entity({ id: uuid, clusterId: uuid, name: { type: 'string', minLength: 1 } }) },
    pods: {
      type: 'array',
      items: entity({
        id: uuid, clusterId: uuid, namespaceId: uuid, name: { type: 'string', minLength: 1 },
        status: { enum: [...POD_PHASES] }, jobId: { anyOf: [uuid, { type: 'null' }] },
      }),
    },
    jobs: {
      type: 'array',
      items: entity({
        id: uuid, clusterId: uuid, namespaceId: uuid, name: { type: 'string', minLength: 1 },
        priority: int32, status: { enum: [...JOB_STATUSES] },
      }),
    },
    policies: {
      type: 'array',
      items: entity({
        // Integers past 2^53 are not kept exactly (JSON numbers are doubles here): refused, as by the API.
        id: uuid, clusterId: { type: 'string' }, heartbeatTime: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        policyType: { enum: ['heartbeat'] }, resource: { enum: ['pods', 'namespace', 'jobs'] },
        resourceIds: { type: 'array', items: uuid }, resourceName: { type: ['string', 'null'] },
        runcRoot: { type: ['string', 'null'] },
        jobFilter: {
          anyOf: [
            { type: 'null' },
            { type: 'object', additionalProperties: false, properties: { namespace: { type: ['string', 'null'] }, priority: { anyOf: [int32, { type: 'null' }] } } },
          ],
        },
        createdAt: dateTime, updatedAt: dateTime,
        tracking: {
          anyOf: [
            { type: 'null' },
            entity({ jobIds: { type: 'array', items: uuid }, podIds: { type: 'array', items: uuid }, jobStatus: { type: ['string', 'null'] }, syncedAt: dateTime }),
          ],
        },
      }),
    },
  },
} as const;
