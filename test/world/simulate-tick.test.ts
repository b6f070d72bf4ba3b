import { describe, expect, it } from 'vitest';
import { matchedJobs, monitoredPods, type PolicyScope } from '../../src/domain/match.js';
import { seedData } from '../../src/world/seed.js';
import { ClusterIndex } from '../../src/domain/cluster-index.js';
import { JOB_STATUSES, POD_PHASES, type JobStatus, type Pod, type PodPhase } from '../../src/domain/model.js';
import { PRIORITY_CLASSES, type ClusterData } from '../../src/world/seed-cluster.js';
import { runTicks, simulateTick } from '../../src/world/simulate-tick.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const POD_NAME = /^[a-z0-9]+(-[a-z0-9]+)+-[bcdfghjklmnpqrstvwxz2456789]{5}$/;
const PRIORITIES = PRIORITY_CLASSES.map((c) => c.value);
/** The pod phases each job status allows (as the seed makes them). */
const PHASES_OF: Record<JobStatus, readonly PodPhase[]> = {
  Running: ['Running', 'Pending'],
  Complete: ['Succeeded'],
  Failed: ['Failed', 'Succeeded'],
  Suspended: ['Pending'],
};

function clusterOf(seed?: number, sizes?: Parameters<typeof seedData>[1]): ClusterData {
  const { clusters, namespaces, pods, jobs } = seedData(seed, sizes);
  return { clusters, namespaces, pods, jobs };
}

/**
 * Every rule of the data model that a tick must keep; empty when all hold. Formats are checked
 * once per object (`seen`): ticks share unchanged pods and jobs, and 1,000 ticks stay fast.
 */
function problems(initial: ClusterData, data: ClusterData, seen = new WeakSet<object>()): string[] {
  const out: string[] = [];
  if (JSON.stringify(data.clusters) !== JSON.stringify(initial.clusters)) out.push('clusters changed');
  if (JSON.stringify(data.namespaces) !== JSON.stringify(initial.namespaces)) out.push('namespaces changed');
  const ids = [...data.clusters, ...data.namespaces, ...data.pods, ...data.jobs].map((x) => x.id);
  if (new Set(ids).size !== ids.length) out.push('ids are not unique');
  for (const item of [...data.pods, ...data.jobs]) if (!seen.has(item) && !UUID.test(item.id)) out.push(`${item.id} is not a UUID`);
  const namespaces = new Map(data.namespaces.map((n) => [n.id, n]));
  const jobs = new Map(data.jobs.map((j) => [j.id, j]));
  const podsPerJob = new Map<string, number>();
  for (const pod of data.pods) {
    if (namespaces.get(pod.namespaceId)?.clusterId !== pod.clusterId) out.push(`pod ${pod.name}: namespace not in its cluster`);
    if (!POD_PHASES.includes(pod.status)) out.push(`pod ${pod.name}: phase ${pod.status}`);
    if (!seen.has(pod) && !POD_NAME.test(pod.name)) out.push(`pod ${pod.name}: not a Kubernetes pod name`);
    if (pod.jobId === null) continue;
    const job = jobs.get(pod.jobId);
    if (!job) {
      out.push(`pod ${pod.name}: job ${pod.jobId} does not exist`);
      continue;
    }
    podsPerJob.set(job.id, (podsPerJob.get(job.id) ?? 0) + 1);
    if (job.namespaceId !== pod.namespaceId || job.clusterId !== pod.clusterId) out.push(`pod ${pod.name}: outside its job's namespace`);
    if (!pod.name.startsWith(`${job.name}-`)) out.push(`pod ${pod.name}: not named after job ${job.name}`);
    if (!PHASES_OF[job.status].includes(pod.status)) out.push(`pod ${pod.name}: ${pod.status} in a ${job.status} job`);
  }
  for (const job of data.jobs) {
    if (namespaces.get(job.namespaceId)?.clusterId !== job.clusterId) out.push(`job ${job.name}: namespace not in its cluster`);
    if (!JOB_STATUSES.includes(job.status)) out.push(`job ${job.name}: status ${job.status}`);
    if (!PRIORITIES.includes(job.priority) || (job.priority | 0) !== job.priority) out.push(`job ${job.name}: priority ${job.priority}`);
    if (!podsPerJob.has(job.id)) out.push(`job ${job.name}: owns no pod`);
  }
  for (const item of [...data.pods, ...data.jobs]) seen.add(item);
  return out;
}

/** Runs `count` ticks and returns the first problems found, with the tick they appeared at. */
function problemsOver(initial: ClusterData, seed: number, count: number): string[] {
  let data = initial;
  const seen = new WeakSet<object>();
  for (let tick = 1; tick <= count; tick++) {
    data = simulateTick(data, seed, tick);
    const found = problems(initial, data, seen);
    if (found.length > 0) return found.slice(0, 5).map((p) => `tick ${tick}: ${p}`);
  }
  return [];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const ids = (items: ReadonlyArray<{ id: string }>) => new Set(items.map((x) => x.id));
const prefix = (pod: Pod) => `${pod.namespaceId}/${pod.name.slice(0, pod.name.lastIndexOf('-'))}`;

describe('simulateTick', () => {
  it('is deterministic: same cluster, seed and ticks give identical data; another seed or tick does not', () => {
    const initial = clusterOf();
    const a = runTicks(initial, 1337, 0, 150);
    expect(JSON.stringify(runTicks(clusterOf(), 1337, 0, 150))).toBe(JSON.stringify(a));
    // Ticks one by one (with other simulations in between), or in two runs, are the same story.
    let stepwise = initial;
    for (let tick = 1; tick <= 150; tick++) {
      simulateTick(initial, 7, tick);
      stepwise = simulateTick(stepwise, 1337, tick);
    }
    expect(JSON.stringify(stepwise)).toBe(JSON.stringify(a));
    expect(JSON.stringify(runTicks(runTicks(initial, 1337, 0, 70), 1337, 70, 80))).toBe(JSON.stringify(a));
    expect(JSON.stringify(runTicks(initial, 1338, 0, 150))).not.toBe(JSON.stringify(a));
    expect(JSON.stringify(runTicks(initial, 1337, 1, 150))).not.toBe(JSON.stringify(a));
  });

  it('never touches its input', () => {
    const initial = deepFreeze(clusterOf());
    const before = JSON.stringify(initial);
    let data = initial;
    // Frozen all along: a tick that wrote into a pod or job it shares with its input would throw.
    for (let tick = 1; tick <= 300; tick++) data = deepFreeze(simulateTick(data, 5, tick));
    expect(JSON.stringify(initial)).toBe(before);
    expect(JSON.stringify(data)).not.toBe(before);
  });

  it('keeps every rule of the data model over 1,000 ticks of the default seed', () => {
    expect(problemsOver(clusterOf(), 1337, 1000)).toEqual([]);
  });

  it('keeps every rule over 1,000 ticks of a larger, multi-cluster seed', () => {
    expect(problemsOver(clusterOf(21, { clusters: 2, namespaces: 6, pods: 300, jobs: 40 }), 21, 1000)).toEqual([]);
  });

  it('the invariant check itself catches broken data', () => {
    const initial = clusterOf();
    const [job] = initial.jobs.filter((j) => j.status === 'Complete');
    const broken: ClusterData = {
      ...initial,
      pods: initial.pods.map((p) => (p.jobId === job!.id ? { ...p, status: 'Running' as const } : p)),
      jobs: [...initial.jobs, { ...job!, id: '11111111-1111-4111-8111-111111111111' }],
    };
    expect(problems(initial, broken)).toEqual(
      expect.arrayContaining([expect.stringContaining('Running in a Complete job'), expect.stringContaining('owns no pod')]),
    );
  });

  it('keeps pod and job counts near their initial sizes, and every status in play, over 2,000 ticks', () => {
    const initial = clusterOf();
    let data = initial;
    const podCounts: number[] = [];
    const jobCounts: number[] = [];
    const lateStatuses = new Set<string>();
    const latePhases = new Set<string>();
    for (let tick = 1; tick <= 2000; tick++) {
      data = simulateTick(data, 99, tick);
      podCounts.push(data.pods.length);
      jobCounts.push(data.jobs.length);
      if (tick > 1500) {
        for (const job of data.jobs) lateStatuses.add(job.status);
        for (const pod of data.pods) latePhases.add(pod.status);
      }
    }
    for (const [counts, start] of [
      [podCounts, initial.pods.length],
      [jobCounts, initial.jobs.length],
    ] as const) {
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(start * 0.5);
      expect(Math.max(...counts)).toBeLessThanOrEqual(start * 1.5);
    }
    // No status dies out and nothing piles up: the cluster is as lively at tick 2,000 as at tick 1.
    expect([...lateStatuses].sort()).toEqual([...JOB_STATUSES].sort());
    expect([...latePhases]).toEqual(expect.arrayContaining(['Running', 'Pending', 'Succeeded', 'Failed']));
    expect(data.jobs.filter((j) => j.status === 'Running').length).toBeGreaterThan(0);
  });

  it('changes pod phases within 10 ticks', () => {
    const initial = clusterOf();
    const after = runTicks(initial, 1337, 0, 10);
    const phaseBefore = new Map(initial.pods.map((p) => [p.id, p.status]));
    const changed = after.pods.filter((p) => phaseBefore.has(p.id) && phaseBefore.get(p.id) !== p.status);
    expect(changed.length).toBeGreaterThan(0);
    // Pending pods of running jobs and services get started.
    expect(changed.some((p) => phaseBefore.get(p.id) === 'Pending' && p.status === 'Running')).toBe(true);
  });

  it('finishes, collects and starts jobs within 200 ticks: new ids in several namespaces, old ones gone', () => {
    const initial = clusterOf();
    const before = ids(initial.jobs);
    const statusBefore = new Map(initial.jobs.map((j) => [j.id, j.status]));
    let data = initial;
    const seenFinishing = new Set<string>();
    for (let tick = 1; tick <= 200; tick++) {
      data = simulateTick(data, 1337, tick);
      for (const job of data.jobs) {
        if (statusBefore.get(job.id) === 'Running' && (job.status === 'Complete' || job.status === 'Failed')) seenFinishing.add(job.id);
      }
    }
    const created = data.jobs.filter((j) => !before.has(j.id));
    expect(created.length).toBeGreaterThan(0);
    expect([...before].filter((id) => !ids(data.jobs).has(id)).length).toBeGreaterThan(0);
    expect(seenFinishing.size).toBeGreaterThan(0);
    expect(new Set(created.map((j) => j.namespaceId)).size).toBeGreaterThan(1);
  });

  it('starts a new job as Running with Pending pods named after it', () => {
    let data = clusterOf();
    for (let tick = 1; tick <= 300; tick++) {
      const next = simulateTick(data, 3, tick);
      const old = ids(data.jobs);
      for (const job of next.jobs.filter((j) => !old.has(j.id))) {
        const pods = next.pods.filter((p) => p.jobId === job.id);
        expect(job.status).toBe('Running');
        expect(pods.length).toBeGreaterThan(0);
        expect(pods.every((p) => p.status === 'Pending' && p.name.startsWith(`${job.name}-`))).toBe(true);
        return;
      }
      data = next;
    }
    expect.fail('no job started in 300 ticks');
  });

  it('restarts service pods: a pod goes and a new one appears in the same ReplicaSet and namespace', () => {
    let data = clusterOf();
    let restarts = 0;
    for (let tick = 1; tick <= 200; tick++) {
      const next = simulateTick(data, 1337, tick);
      const services = (d: ClusterData) => d.pods.filter((p) => p.jobId === null);
      const gone = services(data).filter((p) => !ids(next.pods).has(p.id));
      const fresh = services(next).filter((p) => !ids(data.pods).has(p.id));
      // Only replacements: every new service pod takes the place of one that went.
      expect(fresh.map(prefix).sort()).toEqual(gone.map(prefix).sort());
      expect(fresh.every((p) => p.status === 'Pending')).toBe(true);
      restarts += fresh.length;
      data = next;
    }
    expect(restarts).toBeGreaterThan(0);
  });

  it('resumes suspended jobs', () => {
    let data = clusterOf();
    for (let tick = 1; tick <= 1000; tick++) {
      const next = simulateTick(data, 8, tick);
      const was = new Map(data.jobs.map((j) => [j.id, j.status]));
      if (next.jobs.some((j) => was.get(j.id) === 'Suspended' && j.status === 'Running')) return;
      data = next;
    }
    expect.fail('no suspended job resumed in 1,000 ticks');
  });

  it('moves what policies match: a jobs policy picks up new jobs, a namespace policy sees other pods, gone pods are no longer monitored', () => {
    const seeded = seedData();
    const initial = clusterOf();
    const after = runTicks(initial, 1337, 0, 200);
    const [index0, index1] = [new ClusterIndex(initial), new ClusterIndex(after)];
    const scope = (resource: PolicyScope['resource'], resourceIds: string[] = []): PolicyScope => ({
      clusterId: initial.clusters[0]!.id,
      resource,
      resourceIds,
      jobFilter: null,
    });

    const allJobs = scope('jobs');
    const newJobs = matchedJobs(allJobs, index1).filter((j) => !ids(initial.jobs).has(j.id));
    expect(newJobs.length).toBeGreaterThan(0);
    expect(ids(monitoredPods(allJobs, index1))).toEqual(ids(after.pods.filter((p) => p.jobId !== null)));

    const [podsPolicy, namespacePolicy, jobsPolicy] = seeded.policies;
    expect(ids(monitoredPods(namespacePolicy!, index1))).not.toEqual(ids(monitoredPods(namespacePolicy!, index0)));
    expect(ids(matchedJobs(jobsPolicy!, index1))).not.toEqual(ids(matchedJobs(jobsPolicy!, index0)));
    // A pods policy names pods; once they are replaced or collected it monitors fewer.
    const later = new ClusterIndex(runTicks(after, 1337, 200, 800));
    expect(monitoredPods(podsPolicy!, later).length).toBeLessThan(monitoredPods(podsPolicy!, index0).length);
  });

  it('never removes the pods and jobs it is told to keep (a contract profile), while the rest moves', () => {
    const initial = clusterOf();
    const keep = new Set([...initial.pods.slice(0, 3), ...initial.jobs.slice(0, 3)].map((x) => x.id));
    const first = runTicks(initial, 1337, 0, 1000);
    const kept = runTicks(initial, 1337, 0, 1000, { keep });
    expect([...keep].filter((id) => !ids(kept.pods).has(id) && !ids(kept.jobs).has(id))).toEqual([]);
    expect([...keep].filter((id) => !ids(first.pods).has(id) && !ids(first.jobs).has(id)).length).toBeGreaterThan(0);
    expect(problems(initial, kept)).toEqual([]);
    expect(ids(kept.jobs)).not.toEqual(ids(initial.jobs));
  });

  it('takes time linear in the cluster size (one tick on 60,000 pods well under a second)', () => {
    const big = replicate(clusterOf(), 1000);
    expect(big.pods.length).toBe(60_000);
    const started = performance.now();
    const after = simulateTick(big, 1, 1);
    const elapsed = performance.now() - started;
    expect(after.pods.length).toBe(60_000);
    expect(elapsed).toBeLessThan(1000);
  });
});

/** `times` copies of a cluster's pods and jobs with fresh ids (cheap: no faker), for size tests. */
function replicate(data: ClusterData, times: number): ClusterData {
  let n = 0;
  const fresh = () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
  const pods: Pod[] = [];
  const jobs: ClusterData['jobs'] = [];
  for (let copy = 0; copy < times; copy++) {
    const jobIds = new Map(data.jobs.map((j) => [j.id, fresh()]));
    for (const job of data.jobs) jobs.push({ ...job, id: jobIds.get(job.id)! });
    for (const pod of data.pods) pods.push({ ...pod, id: fresh(), jobId: pod.jobId === null ? null : jobIds.get(pod.jobId)! });
  }
  return { clusters: data.clusters, namespaces: data.namespaces, pods, jobs };
}
