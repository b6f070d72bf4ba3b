import type { Cluster, ClusterData, Job, Namespace, Pod } from './model.js';

/**
 * Lookups by id, namespace and job, so that a request touches only the pods it answers with:
 * a 3-pod policy costs the same on a 60-pod cluster as on a 100,000-pod one.
 * Built once per change of the cluster data, never per request.
 */
export class ClusterIndex {
  readonly clusters = new Map<string, Cluster>();
  readonly namespaces = new Map<string, Namespace>();
  readonly pods = new Map<string, Pod>();
  readonly jobs = new Map<string, Job>();
  private readonly podsByNamespace = new Map<string, Pod[]>();
  private readonly podsByJob = new Map<string, Pod[]>();
  private readonly jobsByCluster = new Map<string, Job[]>();
  /** By cluster and namespace *name*, the key of a job filter; in the order of jobsInCluster. */
  private readonly jobsByNamespaceName = new Map<string, Job[]>();

  constructor(data: ClusterData) {
    for (const cluster of data.clusters) this.clusters.set(cluster.id, cluster);
    for (const namespace of data.namespaces) this.namespaces.set(namespace.id, namespace);
    for (const job of data.jobs) {
      this.jobs.set(job.id, job);
      push(this.jobsByCluster, job.clusterId, job);
      push(this.jobsByNamespaceName, namespaceKey(job.clusterId, this.namespaceName(job.namespaceId)), job);
    }
    for (const pod of data.pods) {
      this.pods.set(pod.id, pod);
      push(this.podsByNamespace, pod.namespaceId, pod);
      if (pod.jobId) push(this.podsByJob, pod.jobId, pod);
    }
  }

  podsInNamespace(namespaceId: string): readonly Pod[] {
    return this.podsByNamespace.get(namespaceId) ?? [];
  }

  podsOfJob(jobId: string): readonly Pod[] {
    return this.podsByJob.get(jobId) ?? [];
  }

  jobsInCluster(clusterId: string): readonly Job[] {
    return this.jobsByCluster.get(clusterId) ?? [];
  }

  /** The jobs of `clusterId` in namespaces named `name` (what a job filter's namespace means). */
  jobsInNamespaceNamed(clusterId: string, name: string): readonly Job[] {
    return this.jobsByNamespaceName.get(namespaceKey(clusterId, name)) ?? [];
  }

  namespaceName(namespaceId: string): string {
    return this.namespaces.get(namespaceId)?.name ?? '';
  }
}

const built = new WeakMap<ClusterData, ClusterIndex>();

/**
 * The index of a cluster, built once per cluster object: the data is never edited in place (a
 * change is a new object), so every store and session that shares a cluster shares its index.
 */
export function clusterIndex(cluster: ClusterData): ClusterIndex {
  let index = built.get(cluster);
  if (!index) {
    index = new ClusterIndex(cluster);
    built.set(cluster, index);
  }
  return index;
}

const namespaceKey = (clusterId: string, name: string) => `${clusterId}\u0000${name}`;

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
