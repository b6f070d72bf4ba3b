// The model's types are derived from the store's schema: they are as precise as the schema, and a
// value the schema refuses does not type-check (the @ts-expect-error lines fail `npm run typecheck`
// if a derived type ever widens to accept them).
import { describe, expect, it } from 'vitest';
import type { Pod, Policy, StoreData } from '../../src/domain/model.js';
import { POD_SCHEMA } from '../../src/domain/store-schema.js';
import { seedData } from '../../src/world/seed.js';

describe('the store types derived from its schema', () => {
  it('type a seeded document and refuse what the schema refuses', () => {
    const data: StoreData = seedData();
    const pod: Pod = data.pods[0]!;
    // @ts-expect-error a pod phase Kubernetes does not have
    const phase: Pod['status'] = 'Sleeping';
    // @ts-expect-error heartbeatTime is a number
    const heartbeat: Policy['heartbeatTime'] = '300';
    // @ts-expect-error resource is one of the spec's kinds
    const resource: Policy['resource'] = 'deployments';
    // @ts-expect-error a pod has no field the schema does not name
    const extra: Pod = { ...pod, node: 'n1' };
    expect([phase, heartbeat, resource, extra.id]).toHaveLength(4);
    expect(Object.keys(pod).sort()).toEqual([...POD_SCHEMA.required].sort());
  });
});
