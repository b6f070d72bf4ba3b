import type { Faker } from '@faker-js/faker';
import type { Cluster, ClusterData, Job, JobStatus, Namespace, Pod, PodPhase, SeedSizes } from '../domain/model.js';

export type { ClusterData } from '../domain/model.js';

const NAMESPACE_NAMES = [
  'ml-training',
  'inference',
  'data-pipelines',
  'research',
  'batch',
  'analytics',
  'platform',
  'monitoring',
  'feature-store',
  'notebooks',
  'eval',
  'ingest',
  'serving',
  'staging',
  'default',
];
const ENVIRONMENTS = ['prod', 'staging', 'research'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-south-1'];
const JOB_VERBS = ['train', 'finetune', 'eval', 'distill', 'pretrain', 'embed', 'backfill', 'etl'];
const MODELS = ['llama', 'mistral', 'bert', 'gpt2', 'whisper', 'resnet', 'qwen', 'gemma', 't5', 'clip'];
const SERVICES = [
  'vllm-server',
  'triton',
  'ray-worker',
  'redis-cache',
  'api-gateway',
  'jupyter',
  'feature-api',
  'prometheus',
  'kafka-consumer',
  'label-studio',
  'mlflow',
  'minio',
];
/** PriorityClass values that clusters commonly define (int32), weighted by how often jobs use them. */
export const PRIORITY_CLASSES: ReadonlyArray<{ weight: number; value: number }> = [
  { weight: 5, value: 0 },
  { weight: 3, value: 100 },
  { weight: 2, value: 1000 },
  { weight: 1, value: 10000 },
];
const JOB_STATUS_WEIGHTS: Array<{ weight: number; value: JobStatus }> = [
  { weight: 5, value: 'Running' },
  { weight: 3, value: 'Complete' },
  { weight: 1, value: 'Failed' },
  { weight: 1, value: 'Suspended' },
];
const SERVICE_POD_PHASES: Array<{ weight: number; value: PodPhase }> = [
  { weight: 90, value: 'Running' },
  { weight: 5, value: 'Pending' },
  { weight: 3, value: 'Failed' },
  { weight: 2, value: 'Unknown' },
];
/** The characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
/** Share of the pods that belong to jobs; the rest belong to long-running services. */
const JOB_POD_SHARE = 0.6;

/** Clusters, namespaces, jobs and pods that look like a real ML platform. Pure: faker state in, data out. */
export function seedCluster(faker: Faker, sizes: SeedSizes): ClusterData {
  const data: ClusterData = { clusters: [], namespaces: [], pods: [], jobs: [] };
  for (let c = 0; c < sizes.clusters; c++) {
    const cluster: Cluster = {
      id: faker.string.uuid(),
      name: `${faker.helpers.arrayElement(ENVIRONMENTS)}-${faker.helpers.arrayElement(REGIONS)}-${c + 1}`,
    };
    data.clusters.push(cluster);
    const namespaces = seedNamespaces(faker, cluster, sizes.namespaces);
    // Appended one by one: `push(...list)` passes every item as an argument, and a quarter of a
    // million arguments overflow the stack.
    append(data.namespaces, namespaces);
    const jobs = seedJobs(faker, namespaces, sizes.jobs);
    append(data.jobs, jobs);
    append(data.pods, seedJobPods(faker, jobs, jobPodCount(sizes)));
    append(data.pods, seedServicePods(faker, namespaces, sizes.pods - jobPodCount(sizes)));
  }
  return data;
}

function append<T>(list: T[], items: readonly T[]): void {
  for (const item of items) list.push(item);
}

/** Every job owns at least one pod; about 60% of the pods belong to jobs. */
function jobPodCount(sizes: SeedSizes): number {
  if (sizes.jobs === 0) return 0;
  return Math.min(sizes.pods, Math.max(sizes.jobs, Math.round(sizes.pods * JOB_POD_SHARE)));
}

function seedNamespaces(faker: Faker, cluster: Cluster, count: number): Namespace[] {
  const names = faker.helpers.shuffle([...NAMESPACE_NAMES]);
  return Array.from({ length: count }, (_, i) => ({
    id: faker.string.uuid(),
    clusterId: cluster.id,
    // Past the list, names repeat with a suffix, as teams do (`ml-training-2`).
    name: i < names.length ? names[i]! : `${names[i % names.length]!}-${Math.floor(i / names.length) + 1}`,
  }));
}

function seedJobs(faker: Faker, namespaces: Namespace[], count: number): Job[] {
  if (namespaces.length === 0) return [];
  return Array.from({ length: count }, () => {
    const namespace = faker.helpers.arrayElement(namespaces);
    return {
      id: faker.string.uuid(),
      clusterId: namespace.clusterId,
      namespaceId: namespace.id,
      name: jobName(faker),
      priority: faker.helpers.weightedArrayElement(PRIORITY_CLASSES),
      status: faker.helpers.weightedArrayElement(JOB_STATUS_WEIGHTS),
    };
  });
}

function seedJobPods(faker: Faker, jobs: Job[], count: number): Pod[] {
  // One pod each, then the rest spread at random: a few jobs end up with many workers.
  const owners = [...jobs, ...Array.from({ length: count - jobs.length }, () => faker.helpers.arrayElement(jobs))];
  return owners.map((job) => ({
    id: faker.string.uuid(),
    clusterId: job.clusterId,
    namespaceId: job.namespaceId,
    name: `${job.name}-${suffix(faker, 5)}`,
    status: jobPodPhase(faker, job.status),
    jobId: job.id,
  }));
}

function seedServicePods(faker: Faker, namespaces: Namespace[], count: number): Pod[] {
  const pods: Pod[] = [];
  while (pods.length < count && namespaces.length > 0) {
    // A Deployment: replicas share the ReplicaSet's name (`vllm-server-7f9c6b5d4`).
    const namespace = faker.helpers.arrayElement(namespaces);
    const replicaSet = `${faker.helpers.arrayElement(SERVICES)}-${suffix(faker, 9)}`;
    const replicas = Math.min(count - pods.length, faker.number.int({ min: 1, max: 4 }));
    for (let r = 0; r < replicas; r++) {
      pods.push({
        id: faker.string.uuid(),
        clusterId: namespace.clusterId,
        namespaceId: namespace.id,
        name: `${replicaSet}-${suffix(faker, 5)}`,
        status: faker.helpers.weightedArrayElement(SERVICE_POD_PHASES),
        jobId: null,
      });
    }
  }
  return pods;
}

/** A pod's phase follows its job: a complete job's pods have succeeded, a suspended one's wait. */
export function jobPodPhase(faker: Faker, status: JobStatus): PodPhase {
  switch (status) {
    case 'Running':
      return faker.helpers.weightedArrayElement([
        { weight: 8, value: 'Running' as const },
        { weight: 2, value: 'Pending' as const },
      ]);
    case 'Complete':
      return 'Succeeded';
    case 'Failed':
      return faker.helpers.weightedArrayElement([
        { weight: 7, value: 'Failed' as const },
        { weight: 3, value: 'Succeeded' as const },
      ]);
    case 'Suspended':
      return 'Pending';
  }
}

/** `train-llama-x2k4q`: what a person names a batch job, plus a unique suffix. */
export function jobName(faker: Faker): string {
  return `${faker.helpers.arrayElement(JOB_VERBS)}-${faker.helpers.arrayElement(MODELS)}-${suffix(faker, 5)}`;
}

export function suffix(faker: Faker, length: number): string {
  return faker.string.fromCharacters(K8S_ALPHABET, length);
}
