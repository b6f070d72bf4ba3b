import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ProblemDetail } from '../http/api-error.js';
import type { StoreData } from './model.js';
import { sizesProblem } from './seed-sizes.js';
import { STORE_SCHEMA } from './store-schema.js';

let compiled: ValidateFunction<StoreData> | undefined;

/** Compiled on first use (an import of a snapshot), not at start-up: most runs never import one. */
function validateShape(snapshot: unknown): snapshot is StoreData {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    compiled = ajv.compile<StoreData>(STORE_SCHEMA);
  }
  return compiled(snapshot);
}

/**
 * Problems that make `snapshot` unfit to be the store: its shape, and references that point
 * nowhere (a pod in a namespace that does not exist, a job without pods, two things with one id).
 * Empty when it is fit.
 */
export function snapshotProblems(snapshot: unknown): ProblemDetail[] {
  if (!validateShape(snapshot)) {
    return (compiled?.errors ?? []).slice(0, 50).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'is invalid' }));
  }
  return referenceProblems(snapshot).slice(0, 50);
}

function referenceProblems(data: StoreData): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  // A reset re-seeds with these sizes: they must be ones the seed can make.
  const sizes = sizesProblem(data.meta.sizes);
  if (sizes) problems.push({ path: '/meta/sizes', message: sizes });
  const seen = new Set<string>();
  const collections = ['clusters', 'namespaces', 'pods', 'jobs', 'policies'] as const;
  for (const name of collections) {
    data[name].forEach((item, i) => {
      if (seen.has(item.id)) problems.push({ path: `/${name}/${i}/id`, message: `duplicates id ${item.id}` });
      seen.add(item.id);
    });
  }
  const clusters = new Set(data.clusters.map((c) => c.id));
  const namespaces = new Map(data.namespaces.map((n) => [n.id, n]));
  const jobs = new Map(data.jobs.map((j) => [j.id, j]));
  const jobsWithPods = new Set<string>();
  for (const [name, list] of [['namespaces', data.namespaces], ['policies', data.policies]] as const) {
    list.forEach((item, i) => {
      if (!clusters.has(item.clusterId)) problems.push({ path: `/${name}/${i}/clusterId`, message: `no cluster ${item.clusterId}` });
    });
  }
  for (const [name, list] of [['pods', data.pods], ['jobs', data.jobs]] as const) {
    list.forEach((item, i) => {
      const namespace = namespaces.get(item.namespaceId);
      if (!namespace) problems.push({ path: `/${name}/${i}/namespaceId`, message: `no namespace ${item.namespaceId}` });
      else if (namespace.clusterId !== item.clusterId) problems.push({ path: `/${name}/${i}/clusterId`, message: 'is not the cluster of its namespace' });
    });
  }
  data.pods.forEach((pod, i) => {
    if (pod.jobId === null) return;
    const job = jobs.get(pod.jobId);
    if (!job) problems.push({ path: `/pods/${i}/jobId`, message: `no job ${pod.jobId}` });
    else if (job.namespaceId !== pod.namespaceId) problems.push({ path: `/pods/${i}/namespaceId`, message: 'is not the namespace of its job' });
    jobsWithPods.add(pod.jobId);
  });
  data.jobs.forEach((job, i) => {
    if (!jobsWithPods.has(job.id)) problems.push({ path: `/jobs/${i}`, message: `job ${job.id} owns no pod` });
  });
  return problems;
}
