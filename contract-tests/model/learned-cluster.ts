import type { Exchange } from '../client.js';
import { OP } from '../operations.js';
import type { RunState } from '../run-state.js';
import type { FilterChoice } from './model-step.js';

export interface LearnedJob {
  id: string;
  namespace: unknown;
  priority: unknown;
  /** As /jobs reported it: what job-status's `job_status` summarises. */
  status: unknown;
}

/**
 * What the model cannot know in advance about the target's cluster, as the target itself answered
 * it before the run: every job with its namespace and priority, each job's pods, each profile
 * namespace's pods. The run then holds the target to these answers (the cluster is taken to stay
 * still while the suite runs, as the other consistency rules do).
 */
export interface LearnedCluster {
  jobs: Map<string, LearnedJob>;
  /** Pods of each job whose pods were learned (all jobs, on a cluster small enough). */
  jobPods: Map<string, Set<string>>;
  namespacePods: Map<string, Set<string>>;
  /** Filters a jobs policy without ids may carry: those whose every matched job's pods are known. */
  openFilters: FilterChoice[];
  /** A priority no job of the cluster has. */
  unusedPriority: number;
  /**
   * Filters at their edges that match no job of the cluster: priority 0 (when no job has it), the
   * int32 bounds, an empty namespace. A server reading 0 or "" as "no filter" lists every job.
   */
  edgeFilters: { namespace?: string; priority?: number }[];
  /**
   * Priorities jobs of the cluster have (0 included when one has it), ascending: the `learned`
   * filter picks one. Only those whose every job's pods are learned.
   */
  priorities: number[];
}

export class LearningError extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/**
 * The target's answers about its own cluster contradict each other or README (counts, which pods
 * a policy covers): a broken expectation in its own right, not only a cluster the model cannot learn.
 */
export class ClusterDisagreement extends LearningError {
  constructor(
    readonly label: string,
    readonly detail: string,
    readonly operationId: string,
    exchange?: Exchange,
  ) {
    super(`${label}: ${detail}`, exchange);
  }
}

const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Pods named in one pods policy of the membership check at most, and such policies at most. */
const MEMBERSHIP_CHUNK = 100;
const MEMBERSHIP_CHUNKS = 10;

/** Pods of more jobs than this are not learned one by one: the "every job" scopes are left out instead. */
const MAX_LEARNED_JOBS = 40;

/** Learns the cluster through the API, with policies of this run that it deletes again. */
export async function learnCluster(s: RunState): Promise<LearnedCluster> {
  const p = s.profile;
  const made: string[] = [];
  const tryCreate = async (label: string, body: Record<string, unknown>) => {
    const answer = await s.createJson({
      heartbeat_time: 61,
      cluster_id: p.clusterId,
      resource_name: s.resourceName(`model-learn-${label}`),
      ...body,
    });
    if (answer.id !== undefined) made.push(answer.id);
    return answer;
  };
  const create = async (label: string, body: Record<string, unknown>): Promise<string> => {
    const { exchange, id } = await tryCreate(label, body);
    if (id === undefined) throw new LearningError(`a valid create (${label}) → 200 with the new id`, exchange);
    return id;
  };
  /** Each pod's namespace name, as /pods answers name it. */
  const podNamespace = new Map<string, unknown>();
  /** Where each pod was seen first: the policy whose /pods listed it. */
  const seenIn = new Map<string, { what: string; exchange: Exchange }>();
  const podsOf = async (id: string, what: string): Promise<{ ids: Set<string>; exchange: Exchange }> => {
    const exchange = await s.pods(id);
    const body = exchange.response.json;
    if (exchange.response.status !== 200 || !Array.isArray(body)) throw new LearningError(`/pods of ${what} → 200 with an array`, exchange);
    const pods = body as { id?: unknown; namespace?: unknown }[];
    for (const pod of pods) {
      const podId = String(pod?.id);
      podNamespace.set(podId, pod?.namespace);
      if (!seenIn.has(podId)) seenIn.set(podId, { what, exchange });
    }
    return { ids: new Set(pods.map((pod) => String(pod?.id))), exchange };
  };
  try {
    const all = await create('all-jobs', { resource: 'jobs', resource_ids: [] });
    const exchange = await s.jobs(all);
    const affected = (exchange.response.json as { affected_jobs?: unknown } | undefined)?.affected_jobs;
    if (exchange.response.status !== 200 || !Array.isArray(affected)) {
      throw new LearningError('/jobs of a jobs policy with no resource_ids → 200 with affected_jobs (every job of the cluster)', exchange);
    }
    const jobs = new Map<string, LearnedJob>();
    const podCounts = new Map<string, unknown>();
    for (const j of affected as { id?: unknown; namespace?: unknown; priority?: unknown; status?: unknown; pod_count?: unknown }[]) {
      jobs.set(String(j.id), { id: String(j.id), namespace: j.namespace, priority: j.priority ?? null, status: j.status });
      podCounts.set(String(j.id), j.pod_count);
    }
    const missing = p.jobIds.filter((id) => !jobs.has(id));
    if (missing.length > 0) {
      throw new LearningError(
        `a jobs policy with no resource_ids matches every job of the cluster, the profile's included (missing: ${missing.join(', ')})`,
        exchange,
      );
    }
    const f = p.jobFilter;
    const passes = (j: LearnedJob, ns: string | null, pr: number | null) =>
      (ns === null || j.namespace === ns) && (pr === null || j.priority === pr);
    const matching = (ns: string | null, pr: number | null) => [...jobs.values()].filter((j) => passes(j, ns, pr)).map((j) => j.id);
    const candidates: [FilterChoice[], string[]][] = [
      [['profile'], matching(f.namespace, f.priority)],
      [['namespace'], matching(f.namespace, null)],
      [['priority'], matching(null, f.priority)],
      [['absent', 'null', 'nulls'], [...jobs.keys()]],
    ];
    // Pods are learned for the profile's jobs always, then for the open scopes that fit the budget.
    const toLearn = new Set(p.jobIds);
    const openFilters: FilterChoice[] = ['nomatch'];
    for (const [choices, ids] of candidates) {
      const grown = new Set([...toLearn, ...ids]);
      if (grown.size > MAX_LEARNED_JOBS) continue;
      ids.forEach((id) => toLearn.add(id));
      openFilters.push(...choices);
    }
    // The priorities jobs really have, 0 first when a job has it: a server reading 0 as "no filter" shows.
    const present = unique([...jobs.values()].map((j) => j.priority)).filter((x): x is number => Number.isInteger(x));
    const priorities: number[] = [];
    for (const priority of present.sort((a, b) => a - b)) {
      const ids = matching(null, priority);
      if (new Set([...toLearn, ...ids]).size > MAX_LEARNED_JOBS) continue;
      ids.forEach((id) => toLearn.add(id));
      priorities.push(priority);
    }
    if (priorities.length > 0) openFilters.push('learned');
    const jobPods = new Map<string, Set<string>>();
    const ownerOf = new Map<string, string>();
    for (const jobId of toLearn) {
      const id = await create('job', { resource: 'jobs', resource_ids: [jobId] });
      const { ids: pods, exchange: podsExchange } = await podsOf(id, `a jobs policy of job ${jobId}`);
      jobPods.set(jobId, pods);
      // README: "Counts agree everywhere"; /jobs names each job's pod_count, /pods lists that job's pods.
      const count = podCounts.get(jobId);
      if (count !== pods.size) {
        throw new ClusterDisagreement(
          '/jobs affected_jobs[].pod_count is the number of the job\'s pods, as /pods of a jobs policy on that one job lists them (README: "Counts agree everywhere")',
          `job ${jobId}: pod_count ${JSON.stringify(count)} in /jobs of a jobs policy with no resource_ids, ${pods.size} pod(s) in /pods of a policy on that job`,
          OP.jobs,
          exchange,
        );
      }
      // README: "`jobs` → the pods of the matched jobs": a pod is one job's (its owner), never two jobs'.
      for (const pod of pods) {
        const other = ownerOf.get(pod);
        if (other !== undefined) {
          throw new ClusterDisagreement(
            'the pods of different jobs do not overlap: /pods of a jobs policy on one job lists that job\'s pods only (README: "`jobs` → the pods of the matched jobs")',
            `pod ${pod} is listed by /pods of a policy on job ${other} and by /pods of a policy on job ${jobId}`,
            OP.pods,
            podsExchange,
          );
        }
        ownerOf.set(pod, jobId);
      }
    }
    const namespacePods = new Map<string, Set<string>>();
    const namespaceExchanges = new Map<string, Exchange>();
    for (const nsId of p.namespaceIds) {
      const id = await create('namespace', { resource: 'namespace', resource_ids: [nsId] });
      const { ids: pods, exchange: podsExchange } = await podsOf(id, `a namespace policy of namespace ${nsId}`);
      namespacePods.set(nsId, pods);
      namespaceExchanges.set(nsId, podsExchange);
    }
    await checkMembership(s, tryCreate, podsOf, [...p.podIds, ...seenIn.keys()], seenIn);
    // README: "`namespace` → every pod in those namespaces": every pod /pods places in a namespace, whatever its phase.
    for (const [nsId, pods] of namespacePods) {
      const names = unique([...pods].map((pod) => podNamespace.get(pod)));
      if (names.length !== 1) continue; // empty (its name unknown) or mixed (cross_endpoint_consistency's to judge)
      const missing = [...podNamespace].filter(([pod, ns]) => ns === names[0] && !pods.has(pod)).map(([pod]) => pod);
      if (missing.length > 0) {
        throw new ClusterDisagreement(
          '/pods of a namespace policy lists every pod of that namespace (README: "`namespace` → every pod in those namespaces")',
          `namespace ${nsId} (${JSON.stringify(names[0])}) leaves out ${missing.join(', ')}, which /pods of jobs or pods policies place in it`,
          OP.pods,
          namespaceExchanges.get(nsId),
        );
      }
    }
    const known = new Set([...jobs.values()].map((j) => j.priority));
    let unusedPriority = 7331;
    while (known.has(unusedPriority)) unusedPriority++;
    const namespaces = new Set([...jobs.values()].map((j) => j.namespace));
    const edgeFilters = [
      ...[0, -(2 ** 31), 2 ** 31 - 1].filter((p) => !known.has(p)).map((priority) => ({ priority })),
      ...(namespaces.has('') ? [] : [{ namespace: '' }, { namespace: '', priority: 0 }]),
    ];
    if (edgeFilters.length > 0) openFilters.push('edges');
    return { jobs, jobPods, namespacePods, openFilters, unusedPriority, priorities, edgeFilters };
  } finally {
    for (const id of made) await s.deleteId(id);
  }
}

/**
 * Every pod a policy lists is a pod of the policy's cluster (README: "every `resource_ids` entry
 * must exist in that cluster as the resource's kind"): a pods policy on that cluster naming them is
 * accepted, and its /pods tells each one's namespace. A pod of another cluster is refused (400).
 */
async function checkMembership(
  s: RunState,
  tryCreate: (label: string, body: Record<string, unknown>) => Promise<{ exchange: Exchange; id?: string }>,
  podsOf: (id: string, what: string) => Promise<{ ids: Set<string>; exchange: Exchange }>,
  podIds: string[],
  seenIn: ReadonlyMap<string, { what: string; exchange: Exchange }>,
): Promise<void> {
  const all = unique(podIds);
  for (let i = 0; i < all.length && i < MEMBERSHIP_CHUNK * MEMBERSHIP_CHUNKS; i += MEMBERSHIP_CHUNK) {
    const chunk = all.slice(i, i + MEMBERSHIP_CHUNK);
    const { exchange, id } = await tryCreate('membership', { resource: 'pods', resource_ids: chunk });
    if (exchange.response.status !== 200 || id === undefined) {
      const where = unique(chunk.flatMap((pod) => seenIn.get(pod)?.what ?? [])).join('; ');
      throw new ClusterDisagreement(
        'every pod a policy\'s /pods lists is a pod of the policy\'s cluster: a pods policy on that cluster naming them is accepted (README: "every `resource_ids` entry must exist in that cluster")',
        `a pods policy on cluster ${s.profile.clusterId} naming the ${chunk.length} pod(s) that the profile and /pods of ${where || 'the learned policies'} named → ${exchange.response.status} ${exchange.response.text.slice(0, 300)}`,
        OP.pods,
        exchange,
      );
    }
    await podsOf(id, 'a pods policy of the learned pods');
  }
}
