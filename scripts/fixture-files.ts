import { DEFAULT_SEED, seedData } from '../src/world/seed.js';
import type { StoreData } from '../src/domain/model.js';
import type { GeneratedFiles } from './generated-files.js';
import { fromRoot } from './paths.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The default seed's data, the contract profile that matches it, and example requests. */
// Async like every generator writeOrCheck takes (the spec build reads files).
// eslint-disable-next-line @typescript-eslint/require-await
export async function fixtureFiles(): Promise<GeneratedFiles> {
  const data = seedData(DEFAULT_SEED);
  const files = new Map<string, string>([
    [fromRoot('fixtures/seed-data.json'), json(data)],
    [fromRoot('fixtures/contract-profile.json'), json(contractProfile(data))],
  ]);
  for (const [name, body] of Object.entries(validRequests(data))) {
    files.set(fromRoot(`fixtures/requests/valid/${name}.json`), json(body));
  }
  // Each invalid body on its own, sendable as it is (`curl -d @file`); what each gets, in one file beside them.
  const invalid = invalidRequests(data);
  for (const [name, example] of Object.entries(invalid)) files.set(fromRoot(`fixtures/requests/invalid/${name}.json`), json(example.body));
  const expected = Object.fromEntries(Object.entries(invalid).map(([name, { status, message }]) => [name, { status, message }]));
  files.set(fromRoot('fixtures/requests/invalid-expected.json'), json(expected));
  return files;
}

/** Which ids exist in the default seed, for the contract suite. */
function contractProfile(data: StoreData) {
  const cluster = data.clusters[0]!;
  const job = data.jobs.find((j) => j.clusterId === cluster.id)!;
  return {
    clusterId: cluster.id,
    podIds: data.pods
      .filter((p) => p.clusterId === cluster.id)
      .slice(0, 3)
      .map((p) => p.id),
    namespaceIds: data.namespaces
      .filter((n) => n.clusterId === cluster.id)
      .slice(0, 2)
      .map((n) => n.id),
    jobIds: data.jobs
      .filter((j) => j.clusterId === cluster.id)
      .slice(0, 3)
      .map((j) => j.id),
    jobFilter: { namespace: data.namespaces.find((n) => n.id === job.namespaceId)!.name, priority: job.priority },
  };
}

/** Bodies that create/update accept against the default seed (`curl -d @file`). */
function validRequests(data: StoreData) {
  const cluster_id = data.clusters[0]!.id;
  const job = data.jobs[0]!;
  return {
    'create-pods-minimal': { cluster_id, heartbeat_time: 60, resource_ids: data.pods.slice(0, 2).map((p) => p.id) },
    'create-pods': {
      cluster_id,
      heartbeat_time: 300,
      resource: 'pods',
      policy_type: 'heartbeat',
      resource_name: 'checkpoint-two-pods',
      resource_ids: data.pods.slice(0, 2).map((p) => p.id),
      runc_root: '/run/containerd/runc/k8s.io',
      job_filter: null,
    },
    'create-namespace': {
      cluster_id,
      heartbeat_time: 120,
      resource: 'namespace',
      resource_name: 'whole-namespace',
      resource_ids: [data.namespaces[0]!.id],
    },
    'create-jobs-all': { cluster_id, heartbeat_time: 600, resource: 'jobs', resource_ids: [] },
    'create-jobs-filtered': {
      cluster_id,
      heartbeat_time: 900,
      resource: 'jobs',
      resource_name: 'high-priority-jobs',
      resource_ids: [],
      job_filter: { namespace: data.namespaces.find((n) => n.id === job.namespaceId)!.name, priority: job.priority },
    },
    'create-jobs-listed': {
      cluster_id,
      heartbeat_time: 30,
      resource: 'jobs',
      resource_ids: data.jobs.slice(0, 2).map((j) => j.id),
      job_filter: { namespace: null, priority: null },
    },
  };
}

/** Bodies create must refuse, each with the status and the words of its error. */
function invalidRequests(data: StoreData) {
  const cluster_id = data.clusters[0]!.id;
  const pods = data.pods.slice(0, 1).map((p) => p.id);
  const unknownId = '00000000-0000-4000-8000-000000000000';
  const example = (body: unknown, message: string) => ({ body, status: 400, message });
  return {
    'missing-cluster-id': example({ heartbeat_time: 60, resource_ids: pods }, 'cluster_id is required'),
    'missing-resource-ids': example({ cluster_id, heartbeat_time: 60 }, 'resource_ids is required'),
    'heartbeat-as-string': example({ cluster_id, heartbeat_time: '60', resource_ids: pods }, 'heartbeat_time must be integer'),
    'negative-heartbeat': example({ cluster_id, heartbeat_time: -5, resource_ids: pods }, 'heartbeat_time must be >= 0'),
    'resource-outside-enum': example(
      { cluster_id, heartbeat_time: 60, resource_ids: pods, resource: 'deployments' },
      'resource must be one of pods, namespace, jobs',
    ),
    'policy-type-outside-enum': example(
      { cluster_id, heartbeat_time: 60, resource_ids: pods, policy_type: 'cron' },
      'policy_type must be one of heartbeat',
    ),
    'resource-id-not-uuid': example({ cluster_id, heartbeat_time: 60, resource_ids: ['pod-1'] }, 'resource_ids[0] must be a UUID'),
    'priority-over-int32': example(
      { cluster_id, heartbeat_time: 60, resource: 'jobs', resource_ids: [], job_filter: { priority: 2147483648 } },
      'job_filter.priority must be an int32',
    ),
    'unknown-cluster': example({ cluster_id: unknownId, heartbeat_time: 60, resource_ids: pods }, `unknown cluster_id ${unknownId}`),
    'unknown-pod': example(
      { cluster_id, heartbeat_time: 60, resource_ids: [...pods, unknownId] },
      `unknown pod ids in cluster ${cluster_id}: ${unknownId}`,
    ),
    'namespace-id-as-pod': example(
      { cluster_id, heartbeat_time: 60, resource: 'pods', resource_ids: [data.namespaces[0]!.id] },
      'unknown pod ids',
    ),
    'explicit-id-not-uuid': example({ cluster_id, heartbeat_time: 60, resource_ids: pods, id: 'my-policy' }, 'id must be a UUID'),
  };
}
