import type { Faker } from '@faker-js/faker';
// The English entry point: the package's main one loads every locale (start-up time, memory).
import { faker } from '@faker-js/faker/locale/en';
import type { Job, JobStatus, Namespace, Pod, PodPhase } from '../domain/model.js';
import { PRIORITY_CLASSES, jobName, jobPodPhase, suffix, type ClusterData } from './seed-cluster.js';

/**
 * Chances per tick. Tuned so that a 60-pod cluster shows a change or two every tick and its mix
 * of job statuses settles near the seed's (about 55% running, 35% finished, 10% suspended).
 */
const RATES = {
  /** A Pending pod of a service or of a running job starts. */
  podStart: 0.5,
  /** A running job finishes... */
  jobFinish: 0.05,
  /** ...and fails rather than completes. */
  jobFailShare: 0.25,
  jobSuspend: 0.015,
  jobResume: 0.1,
  /** A finished job is garbage-collected with its pods (ttlSecondsAfterFinished). */
  jobCollect: 0.08,
  /** A running service pod loses its node. */
  podCrash: 0.003,
  /** A healthy service pod is replaced (rollout, eviction). */
  podRestart: 0.01,
  /** A Failed or Unknown service pod is replaced by its ReplicaSet. */
  podReplace: 0.3,
};
const CRASH_PHASES: Array<{ weight: number; value: PodPhase }> = [
  { weight: 3, value: 'Failed' },
  { weight: 2, value: 'Unknown' },
];
const NO_IDS: ReadonlySet<string> = new Set();
// The shared English instance (seed.ts uses it too), reseeded at every tick: a tick is
// synchronous and `seed` resets all the state it reads, so sharing cannot mix two stories.
/** What happens to a job this tick: a new status, or garbage collection. */
type JobChange = JobStatus | 'collected';

export interface SimulateOptions {
  /**
   * Pod and job ids that must outlive the simulation (e.g. a contract profile's): these pods are
   * never replaced or crashed, these jobs and the jobs of these pods never garbage-collected.
   * Their phases and statuses still change.
   */
  keep?: ReadonlySet<string>;
  /**
   * Ids the store already uses: a new pod or job never takes one, since ids are unique across the
   * store. The story is predictable (a client can pick a policy id from it), and a store's tick
   * count starts again after a restart or an import while its cluster has moved on.
   */
  taken?: (id: string) => boolean;
}

/**
 * The cluster one tick later: pods start, crash and get replaced; jobs finish, get suspended,
 * resume, and are garbage-collected, each replaced by a new job with as many pods in the same
 * cluster. So the pod and job counts of every cluster stay where they were, while namespaces,
 * phases and ids move. Namespaces and clusters never change (policies name them).
 *
 * Pure and deterministic: the same (cluster, seed, tick, keep) gives the same result, and the
 * input is not touched (unchanged pods and jobs are shared with it). One pass over the pods.
 */
export function simulateTick(cluster: ClusterData, seed: number, tick: number, options: SimulateOptions = {}): ClusterData {
  faker.seed([seed, tick]);
  const keep = options.keep ?? NO_IDS;
  const taken = options.taken ?? (() => false);
  const newId = () => {
    let id = uuid(faker);
    while (taken(id)) id = uuid(faker);
    return id;
  };
  // In this order: each step's draws come after the previous step's, so the story is the seed's.
  const changes = decideJobChanges(cluster, keep);
  const pass = passPods(cluster, changes, keep);
  applyPodEvents(pass, newId);
  const jobs = replaceJobs(cluster, changes, pass, newId);
  return { clusters: [...cluster.clusters], namespaces: [...cluster.namespaces], pods: pass.pods, jobs };
}

/** Jobs: who finishes, pauses, resumes or goes. Decided first, so the pod pass applies it. */
function decideJobChanges(cluster: ClusterData, keep: ReadonlySet<string>): Map<string, JobChange> {
  const keptJobs = new Set(keep);
  if (keep.size > 0) for (const pod of cluster.pods) if (pod.jobId !== null && keep.has(pod.id)) keptJobs.add(pod.jobId);
  const running: Job[] = [];
  const suspended: Job[] = [];
  const finished: Job[] = [];
  for (const job of cluster.jobs) {
    if (job.status === 'Running') running.push(job);
    else if (job.status === 'Suspended') suspended.push(job);
    else if (!keptJobs.has(job.id)) finished.push(job);
  }
  const changes = new Map<string, JobChange>();
  // A job changes at most once a tick: the first decision wins.
  const change = (jobs: Job[], status: (job: Job) => JobChange) => {
    for (const job of jobs) if (!changes.has(job.id)) changes.set(job.id, status(job));
  };
  change(sample(faker, running, RATES.jobFinish), () => (faker.datatype.boolean(RATES.jobFailShare) ? 'Failed' : 'Complete'));
  change(sample(faker, running, RATES.jobSuspend), () => 'Suspended');
  change(sample(faker, suspended, RATES.jobResume), () => 'Running');
  change(sample(faker, finished, RATES.jobCollect), () => 'collected');
  return changes;
}

/** The pods after their jobs' changes, and which of them the pod-level events may touch. */
interface PodPass {
  pods: Pod[];
  startable: number[];
  healthyServices: number[];
  unhealthyServices: number[];
  /** Pods each collected job had, so its replacement gets as many. */
  collectedSizes: Map<string, number>;
}

/**
 * Pods, in one pass: those of changed jobs follow their job; the others are candidates for the
 * pod-level events. Job status is looked up only for the few Pending pods.
 */
function passPods(cluster: ClusterData, changes: ReadonlyMap<string, JobChange>, keep: ReadonlySet<string>): PodPass {
  const statusOf = new Map<string, JobStatus>();
  const pass: PodPass = { pods: [], startable: [], healthyServices: [], unhealthyServices: [], collectedSizes: new Map() };
  const { pods, startable, healthyServices, unhealthyServices, collectedSizes } = pass;
  const failedOnce = new Set<string>();
  for (const pod of cluster.pods) {
    const jobChange = pod.jobId === null ? undefined : changes.get(pod.jobId);
    if (jobChange === 'collected') {
      collectedSizes.set(pod.jobId!, (collectedSizes.get(pod.jobId!) ?? 0) + 1);
    } else if (jobChange !== undefined) {
      const phase = phaseFor(faker, jobChange, pod.jobId!, failedOnce);
      pods.push(pod.status === phase ? pod : { ...pod, status: phase });
    } else {
      const at = pods.push(pod) - 1;
      if (pod.jobId === null) {
        if (keep.size > 0 && keep.has(pod.id)) {
          if (pod.status === 'Pending') startable.push(at);
        } else if (pod.status === 'Running' || pod.status === 'Pending') {
          healthyServices.push(at);
          if (pod.status === 'Pending') startable.push(at);
        } else {
          unhealthyServices.push(at);
        }
      } else if (pod.status === 'Pending') {
        if (statusOf.size === 0) for (const job of cluster.jobs) statusOf.set(job.id, job.status);
        if (statusOf.get(pod.jobId) === 'Running') startable.push(at);
      }
    }
  }
  return pass;
}

/** Pod-level events; whatever this tick already changed is left alone (one change per pod). */
function applyPodEvents({ pods, healthyServices, unhealthyServices, startable }: PodPass, newId: () => string): void {
  const touched = new Set<number>();
  for (const i of [...sample(faker, healthyServices, RATES.podRestart), ...sample(faker, unhealthyServices, RATES.podReplace)]) {
    // The ReplicaSet replaces the pod: a new pod with its name prefix, in its namespace.
    const pod = pods[i]!;
    pods[i] = { ...pod, id: newId(), name: `${pod.name.slice(0, pod.name.lastIndexOf('-'))}-${suffix(faker, 5)}`, status: 'Pending' };
    touched.add(i);
  }
  for (const i of sample(faker, healthyServices, RATES.podCrash)) {
    if (touched.has(i) || pods[i]!.status !== 'Running') continue;
    pods[i] = { ...pods[i]!, status: faker.helpers.weightedArrayElement(CRASH_PHASES) };
    touched.add(i);
  }
  for (const i of sample(faker, startable, RATES.podStart)) {
    if (!touched.has(i)) pods[i] = { ...pods[i]!, status: 'Running' };
  }
}

/**
 * Jobs: changed ones updated, collected ones replaced by a new job of the same size in the same
 * cluster (its pods just created, Pending, appended to the pass's pods), so counts hold over any
 * number of ticks.
 */
function replaceJobs(
  cluster: ClusterData,
  changes: ReadonlyMap<string, JobChange>,
  { pods, collectedSizes }: PodPass,
  newId: () => string,
): Job[] {
  const jobs: Job[] = [];
  const namespacesOf = new Map<string, Namespace[]>();
  for (const namespace of cluster.namespaces) {
    const list = namespacesOf.get(namespace.clusterId);
    if (list) list.push(namespace);
    else namespacesOf.set(namespace.clusterId, [namespace]);
  }
  const created: Job[] = [];
  for (const job of cluster.jobs) {
    const jobChange = changes.get(job.id);
    if (jobChange === undefined) jobs.push(job);
    else if (jobChange !== 'collected') jobs.push({ ...job, status: jobChange });
    else {
      const namespace = faker.helpers.arrayElement(namespacesOf.get(job.clusterId)!);
      const fresh: Job = {
        id: newId(),
        clusterId: namespace.clusterId,
        namespaceId: namespace.id,
        name: jobName(faker),
        priority: faker.helpers.weightedArrayElement(PRIORITY_CLASSES),
        status: 'Running',
      };
      created.push(fresh);
      for (let p = 0; p < Math.max(1, collectedSizes.get(job.id) ?? 0); p++) {
        pods.push({
          id: newId(),
          clusterId: fresh.clusterId,
          namespaceId: fresh.namespaceId,
          name: `${fresh.name}-${suffix(faker, 5)}`,
          status: 'Pending',
          jobId: fresh.id,
        });
      }
    }
  }
  for (const job of created) jobs.push(job);
  return jobs;
}

/** Ticks `from + 1` to `from + count` (`from` = ticks already applied), one after the other. */
export function runTicks(cluster: ClusterData, seed: number, from: number, count: number, options: SimulateOptions = {}): ClusterData {
  let current = cluster;
  for (let tick = from + 1; tick <= from + count; tick++) current = simulateTick(current, seed, tick, options);
  return current;
}

/** A pod's phase once its job changed: finished pods have succeeded (a failed job has ≥1 failed pod); paused or resumed pods wait. */
function phaseFor(faker: Faker, status: JobStatus, jobId: string, failedOnce: Set<string>): PodPhase {
  if (status !== 'Failed') return status === 'Complete' ? 'Succeeded' : 'Pending';
  if (failedOnce.has(jobId)) return jobPodPhase(faker, 'Failed');
  failedOnce.add(jobId);
  return 'Failed';
}

/**
 * `count` of `items` at random, with `count` = items × rate rounded up or down at random, so
 * that the expected number of events is exact even when it is below one per tick.
 */
function sample<T>(faker: Faker, items: readonly T[], rate: number): T[] {
  const expected = items.length * rate;
  let count = Math.floor(expected);
  if (faker.number.float() < expected - count) count++;
  return count === 0 ? [] : faker.helpers.arrayElements(items, count);
}

/**
 * A v4 UUID from four draws (faker's takes one per hex digit, too slow for thousands per tick).
 * 122 random bits, as the seed's: a collision with an existing id is as unlikely as one there.
 */
function uuid(faker: Faker): string {
  const word = () => faker.number.int(0xffffffff);
  const hex = (n: number, digits: number) => n.toString(16).padStart(digits, '0');
  const [a, b, c, d] = [word(), word(), word(), word()];
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(((c >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}
