import type { Faker } from '@faker-js/faker';
import { ClusterIndex } from '../domain/cluster-index.js';
import type { Policy, PolicyResource } from '../domain/model.js';
import type { ClusterData } from './seed-cluster.js';
import { trackJobs } from '../domain/match.js';

const KINDS: PolicyResource[] = ['pods', 'namespace', 'jobs'];
const HEARTBEATS = [30, 60, 120, 300, 600, 900, 3600];

/** Demo policies, one kind after another, so a fresh mock's list already shows each kind. */
export function seedPolicies(faker: Faker, cluster: ClusterData, count: number): Policy[] {
  const index = new ClusterIndex(cluster);
  const inCluster = byCluster(cluster);
  const policies: Policy[] = [];
  for (let i = 0; i < count && cluster.clusters.length > 0; i++) {
    const resource = KINDS[i % KINDS.length]!;
    const clusterId = faker.helpers.arrayElement(cluster.clusters).id;
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
    const scope = scopeFor(faker, resource, inCluster(clusterId));
    policies.push({ ...base, ...scope, tracking: trackJobs({ ...base, ...scope }, index, createdAt) });
  }
  return policies;
}

/** One cluster's share of the data. */
type ClusterLists = Pick<ClusterData, 'namespaces' | 'pods' | 'jobs'>;

/**
 * Each cluster's namespaces, pods and jobs, filtered once per cluster rather than once per policy
 * (10,000 policies over 100,000 pods took most of a minute). The same lists, in the same order, so
 * the same faker calls and the same data.
 */
function byCluster(cluster: ClusterData): (clusterId: string) => ClusterLists {
  const cache = new Map<string, ClusterLists>();
  return (clusterId) => {
    let lists = cache.get(clusterId);
    if (!lists) {
      const inIt = <T extends { clusterId: string }>(items: T[]) => items.filter((item) => item.clusterId === clusterId);
      lists = { namespaces: inIt(cluster.namespaces), pods: inIt(cluster.pods), jobs: inIt(cluster.jobs) };
      cache.set(clusterId, lists);
    }
    return lists;
  };
}

function scopeFor(
  faker: Faker,
  resource: PolicyResource,
  cluster: ClusterLists,
): Pick<Policy, 'resourceIds' | 'resourceName' | 'jobFilter'> {
  const { namespaces } = cluster;
  switch (resource) {
    case 'pods': {
      const pods = sampleElements(faker, cluster.pods, 3);
      return { resourceIds: pods.map((p) => p.id), resourceName: `checkpoint-${pods[0]?.name ?? 'pods'}`, jobFilter: null };
    }
    case 'namespace': {
      const namespace = faker.helpers.arrayElements(namespaces, 1);
      return { resourceIds: namespace.map((n) => n.id), resourceName: `namespace-${namespace[0]?.name ?? 'none'}`, jobFilter: null };
    }
    case 'jobs': {
      // A filter on a namespace that has jobs, so the demo policy tracks something.
      const job = sampleElements(faker, cluster.jobs, 1)[0];
      const namespace = namespaces.find((n) => n.id === job?.namespaceId)?.name ?? null;
      return { resourceIds: [], resourceName: `jobs-in-${namespace ?? 'cluster'}`, jobFilter: { namespace, priority: null } };
    }
  }
}

/**
 * `faker.helpers.arrayElements(items, count)`, without its copy of the whole array when
 * 0 < count < items.length (a copy of 100,000 pods for each of 3,334 pods policies was most of the
 * seed's time): faker's partial Fisher–Yates from the end, with the same draws
 * (`faker.number.int(i)`), on a map of the moved positions. The same elements in the same order;
 * test/store/sample-elements.test.ts holds it to faker's own.
 */
export function sampleElements<T>(faker: Faker, items: readonly T[], count: number): T[] {
  if (count <= 0 || count >= items.length) return faker.helpers.arrayElements([...items], count);
  const moved = new Map<number, T>();
  const at = (k: number): T => (moved.has(k) ? (moved.get(k) as T) : (items[k] as T));
  let i = items.length;
  const first = i - count;
  while (i-- > first) {
    const j = faker.number.int(i);
    const picked = at(j);
    moved.set(j, at(i));
    moved.set(i, picked);
  }
  return Array.from({ length: count }, (_, k) => at(first + k));
}
