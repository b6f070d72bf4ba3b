import type { Exchange } from '../client.js';
import type { ContractSession } from '../session.js';
import type { FilterChoice } from './model-step.js';

export interface LearnedJob {
  id: string;
  namespace: unknown;
  priority: unknown;
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
}

export class LearningError extends Error {
  constructor(
    message: string,
    readonly exchange?: Exchange,
  ) {
    super(message);
  }
}

/** Pods of more jobs than this are not learned one by one: the "every job" scopes are left out instead. */
const MAX_LEARNED_JOBS = 40;

/** Learns the cluster through the API, with policies of this run that it deletes again. */
export async function learnCluster(s: ContractSession): Promise<LearnedCluster> {
  const p = s.profile;
  const made: string[] = [];
  const create = async (label: string, body: Record<string, unknown>): Promise<string> => {
    const { exchange, id } = await s.createJson({
      heartbeat_time: 61,
      cluster_id: p.clusterId,
      resource_name: s.resourceName(`model-learn-${label}`),
      ...body,
    });
    if (id === undefined) throw new LearningError(`a valid create (${label}) → 200 with the new id`, exchange);
    made.push(id);
    return id;
  };
  const podsOf = async (id: string, what: string): Promise<Set<string>> => {
    const exchange = await s.pods(id);
    const body = exchange.response.json;
    if (exchange.response.status !== 200 || !Array.isArray(body)) throw new LearningError(`/pods of ${what} → 200 with an array`, exchange);
    return new Set(body.map((pod) => String((pod as { id?: unknown }).id)));
  };
  try {
    const all = await create('all-jobs', { resource: 'jobs', resource_ids: [] });
    const exchange = await s.jobs(all);
    const affected = (exchange.response.json as { affected_jobs?: unknown } | undefined)?.affected_jobs;
    if (exchange.response.status !== 200 || !Array.isArray(affected)) {
      throw new LearningError('/jobs of a jobs policy with no resource_ids → 200 with affected_jobs (every job of the cluster)', exchange);
    }
    const jobs = new Map<string, LearnedJob>();
    for (const j of affected as { id?: unknown; namespace?: unknown; priority?: unknown }[]) {
      jobs.set(String(j.id), { id: String(j.id), namespace: j.namespace, priority: j.priority ?? null });
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
    const jobPods = new Map<string, Set<string>>();
    for (const jobId of toLearn) {
      const id = await create('job', { resource: 'jobs', resource_ids: [jobId] });
      jobPods.set(jobId, await podsOf(id, `a jobs policy of job ${jobId}`));
    }
    const namespacePods = new Map<string, Set<string>>();
    for (const nsId of p.namespaceIds) {
      const id = await create('namespace', { resource: 'namespace', resource_ids: [nsId] });
      namespacePods.set(nsId, await podsOf(id, `a namespace policy of namespace ${nsId}`));
    }
    const priorities = new Set([...jobs.values()].map((j) => j.priority));
    let unusedPriority = 7331;
    while (priorities.has(unusedPriority)) unusedPriority++;
    return { jobs, jobPods, namespacePods, openFilters, unusedPriority };
  } finally {
    for (const id of made) await s.deleteId(id);
  }
}
