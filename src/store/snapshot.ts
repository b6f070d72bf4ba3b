import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ProblemDetail } from '../domain/refusal.js';
import { AJV_FORMATS_MODE } from '../spec/formats.js';
import type { StoreData } from '../domain/model.js';
import { sizesProblem } from '../world/seed-sizes.js';
import { COLLECTIONS, STORE_SCHEMA } from '../domain/store-schema.js';

/** Problems reported at most: the first ones are what to fix, and a million bad pods must not cost a million errors. */
export const MAX_SNAPSHOT_PROBLEMS = 50;

type Collection = (typeof COLLECTIONS)[number];

interface Validators {
  /** The document without its items: meta, and that each collection is an array. */
  outline: ValidateFunction;
  items: Record<Collection, ValidateFunction>;
}

let compiled: Validators | undefined;

/**
 * Compiled on first use (an import of a snapshot, a --db file), not at start-up. Formats in the
 * mode the response validator uses (express-openapi-validator's `fast`), so a timestamp an import
 * accepts is one every answer made from it passes.
 */
function validators(): Validators {
  if (!compiled) {
    // One problem per item (and for the outline): an item with a million extra keys is one problem.
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormats.default(ajv, { mode: AJV_FORMATS_MODE });
    const arrays = Object.fromEntries(COLLECTIONS.map((name) => [name, { type: 'array' }]));
    const outline = ajv.compile({ ...STORE_SCHEMA, properties: { ...STORE_SCHEMA.properties, ...arrays } });
    const items = Object.fromEntries(
      COLLECTIONS.map((name) => [name, ajv.compile(STORE_SCHEMA.properties[name].items)]),
    ) as Validators['items'];
    compiled = { outline, items };
  }
  return compiled;
}

/**
 * Problems that make `snapshot` unfit to be the store: its shape, and references that point
 * nowhere (a pod in a namespace that does not exist, a job without pods, two things with one id).
 * Empty when it is fit. Stops at MAX_SNAPSHOT_PROBLEMS, so its time and memory are bounded by the
 * snapshot's size, not by how wrong it is.
 */
export function snapshotProblems(snapshot: unknown): ProblemDetail[] {
  const { outline, items } = validators();
  const problems = new Problems();
  if (!outline(snapshot)) {
    for (const e of outline.errors ?? []) problems.add(e.instancePath || '/', e.message ?? 'is invalid');
    return problems.list;
  }
  const data = snapshot as StoreData;
  for (const name of COLLECTIONS) {
    const validate = items[name];
    const list = data[name] as unknown[];
    for (let i = 0; i < list.length && !problems.full; i++) {
      if (validate(list[i])) continue;
      for (const e of validate.errors ?? []) problems.add(`/${name}/${i}${e.instancePath}`, e.message ?? 'is invalid');
    }
  }
  if (problems.list.length > 0) return problems.list;
  referenceProblems(data, problems);
  return problems.list;
}

class Problems {
  readonly list: ProblemDetail[] = [];
  get full(): boolean {
    return this.list.length >= MAX_SNAPSHOT_PROBLEMS;
  }
  add(path: string, message: string): void {
    if (!this.full) this.list.push({ path, message });
  }
}

function referenceProblems(data: StoreData, problems: Problems): void {
  // A reset re-seeds with these sizes: they must be ones the seed can make (the flags' limits).
  const sizes = sizesProblem(data.meta.sizes);
  if (sizes) problems.add('/meta/sizes', sizes);
  // One id names one thing, in every collection: the API refuses a policy id a pod has, too.
  const seen = new Set<string>();
  for (const name of COLLECTIONS) {
    data[name].forEach((item, i) => {
      const key = item.id.toLowerCase();
      if (seen.has(key)) problems.add(`/${name}/${i}/id`, `duplicates id ${item.id}`);
      seen.add(key);
    });
  }
  const clusters = new Set(data.clusters.map((c) => c.id));
  const namespaces = new Map(data.namespaces.map((n) => [n.id, n]));
  const jobs = new Map(data.jobs.map((j) => [j.id, j]));
  const jobsWithPods = new Set<string>();
  for (const [name, list] of [
    ['namespaces', data.namespaces],
    ['policies', data.policies],
  ] as const) {
    list.forEach((item, i) => {
      if (!clusters.has(item.clusterId)) problems.add(`/${name}/${i}/clusterId`, `no cluster ${item.clusterId}`);
    });
  }
  for (const [name, list] of [
    ['pods', data.pods],
    ['jobs', data.jobs],
  ] as const) {
    list.forEach((item, i) => {
      const namespace = namespaces.get(item.namespaceId);
      if (!namespace) problems.add(`/${name}/${i}/namespaceId`, `no namespace ${item.namespaceId}`);
      else if (namespace.clusterId !== item.clusterId) problems.add(`/${name}/${i}/clusterId`, 'is not the cluster of its namespace');
    });
  }
  data.pods.forEach((pod, i) => {
    if (pod.jobId === null) return;
    const job = jobs.get(pod.jobId);
    if (!job) problems.add(`/pods/${i}/jobId`, `no job ${pod.jobId}`);
    else if (job.namespaceId !== pod.namespaceId) problems.add(`/pods/${i}/namespaceId`, 'is not the namespace of its job');
    jobsWithPods.add(pod.jobId);
  });
  data.jobs.forEach((job, i) => {
    if (!jobsWithPods.has(job.id)) problems.add(`/jobs/${i}`, `job ${job.id} owns no pod`);
  });
  // What the API checks on create and update: each resource id is one of the policy's cluster.
  const pods = new Map(data.pods.map((p) => [p.id, p]));
  const kinds = { pods, namespace: namespaces, jobs } as const;
  data.policies.forEach((policy, i) => {
    const things = kinds[policy.resource];
    policy.resourceIds.forEach((id, k) => {
      if (things.get(id)?.clusterId !== policy.clusterId)
        problems.add(
          `/policies/${i}/resourceIds/${k}`,
          `no ${policy.resource === 'namespace' ? 'namespace' : policy.resource.slice(0, -1)} ${id} in cluster ${policy.clusterId}`,
        );
    });
  });
}
