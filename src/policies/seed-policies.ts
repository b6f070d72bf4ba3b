import type { Faker } from '@faker-js/faker';
import { ClusterIndex } from '../store/cluster-index.js';
import type { Policy, PolicyResource } from '../store/model.js';
import type { ClusterData } from '../store/seed-cluster.js';
import { trackJobs } from './match.js';

const KINDS: PolicyResource[] = ['pods', 'namespace', 'jobs'];
const HEARTBEATS = [30, 60, 120, 300, 600, 900, 3600];

/** Demo policies, one kind after another, so a fresh mock's list already shows each kind. */
export function seedPolicies(faker: Faker, cluster: ClusterData, count: number): Policy[] {
  const index = new ClusterIndex(cluster);
  const policies: Policy[] = [];
  for (let i = 0; i < count && cluster.clusters.length > 0; i++) {
    const resource = KINDS[i % KINDS.length]!;
    const clusterId = faker.helpers.arrayElement(cluster.clusters).id;
    const namespaces = cluster.namespaces.filter((n) => n.clusterId === clusterId);
    const createdAt = faker.date.recent({ days: 30 }).toISOString();
    const base = {
      id: faker.string.uuid(),
      clusterId,
      heartbeatTime: faker.helpers.arrayElement(HEARTBEATS),
      policyType: 'heartbeat' as const,
      resource,
      runcRoot: null,
      createdAt,
      updatedAt: createdAt,
    };
    const scope = scopeFor(faker, resource, clusterId, cluster, namespaces);
    policies.push({ ...base, ...scope, tracking: trackJobs({ ...base, ...scope }, index, createdAt) });
  }
  return policies;
}

function scopeFor(
  faker: Faker,
  resource: PolicyResource,
  clusterId: string,
  cluster: ClusterData,
  namespaces: ClusterData['namespaces'],
): Pick<Policy, 'resourceIds' | 'resourceName' | 'jobFilter'> {
  switch (resource) {
    case 'pods': {
      const pods = faker.helpers.arrayElements(cluster.pods.filter((p) => p.clusterId === clusterId), 3);
      return { resourceIds: pods.map((p) => p.id), resourceName: `checkpoint-${pods[0]?.name ?? 'pods'}`, jobFilter: null };
    }
    case 'namespace': {
      const namespace = faker.helpers.arrayElements(namespaces, 1);
      return { resourceIds: namespace.map((n) => n.id), resourceName: `namespace-${namespace[0]?.name ?? 'none'}`, jobFilter: null };
    }
    case 'jobs': {
      // A filter on a namespace that has jobs, so the demo policy tracks something.
      const job = faker.helpers.arrayElements(cluster.jobs.filter((j) => j.clusterId === clusterId), 1)[0];
      const namespace = namespaces.find((n) => n.id === job?.namespaceId)?.name ?? null;
      return { resourceIds: [], resourceName: `jobs-in-${namespace ?? 'cluster'}`, jobFilter: { namespace, priority: null } };
    }
  }
}
