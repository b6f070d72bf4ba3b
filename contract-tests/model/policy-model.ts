import { randomUUID } from 'node:crypto';
import type { ContractProfile } from '../config.js';
import type { ResourceKind } from '../operations.js';
import type { Body } from '../run-state.js';
import { Clock } from './clock.js';
import type { LearnedCluster } from './learned-cluster.js';
import type { BodySpec } from './model-step.js';

// The matching rules (matchedJobs, monitoredPods, expectedJobStatus), written three times on purpose:
// here (the suite's model), in src/domain/match.ts (the mock) and in
// self-test/reference/matching.ts (the reference server). Three independent oracles: a mistake in one
// shows as a disagreement with the others, so they never share code.

export interface JobFilter {
  namespace: string | null;
  priority: number | null;
}

/** What a policy is, as the API's meaning says it: what list must show and what it monitors. */
export interface Settings {
  kind: ResourceKind;
  /** As sent (duplicates included). */
  resourceIds: string[];
  heartbeat: number;
  filter: JobFilter | null;
}

export interface ModelPolicy extends Settings {
  handle: number;
  id: string;
  /** Jobs policies: what the last sync (create, update or sync-jobs) found. */
  synced?: { jobIds: Set<string>; podIds: Set<string> | undefined; jobStatus: string | null | undefined };
  timestamp: Clock;
  lastUpdated: Clock;
}

/** A concrete body for one target, and what the API's meaning makes of it. */
export interface BuiltBody {
  body: Body;
  settings: Settings;
  /** `must`: the request is invalid; `may`: a target may accept or refuse it (then it changes nothing). */
  refusal: 'must' | 'may' | 'no';
  why: string;
}

const idsOfKind = (p: ContractProfile, kind: ResourceKind) =>
  kind === 'pods' ? p.podIds : kind === 'namespace' ? p.namespaceIds : p.jobIds;
const KINDS: ResourceKind[] = ['pods', 'namespace', 'jobs'];
const KIND_NOUN: Record<ResourceKind, string> = { pods: 'pod', namespace: 'namespace', jobs: 'job' };

/** A profile id of another kind than the policy's (the picks choose which), if the profile has one. */
function wrongKindId(spec: BodySpec, profile: ContractProfile): { id: string; kind: ResourceKind } | undefined {
  const others = KINDS.filter((k) => k !== spec.kind && idsOfKind(profile, k).length > 0);
  const kind = others[(spec.picks[0] ?? 0) % Math.max(others.length, 1)];
  if (kind === undefined) return undefined;
  const pool = idsOfKind(profile, kind);
  const id = pool[(spec.picks[1] ?? 0) % pool.length];
  return id === undefined ? undefined : { id, kind };
}

/** README's order of urgency for job-status's `job_status`. */
const URGENCY = ['Running', 'Suspended', 'Failed', 'Complete'];

/**
 * job_status for these jobs: the most urgent of their statuses (README: "the most urgent status of
 * the tracked jobs: Running, Suspended, Failed, Complete"), null for none; undefined (not judged)
 * when a status is outside README's list.
 */
export function expectedJobStatus(jobIds: Iterable<string>, learned: LearnedCluster): string | null | undefined {
  const statuses = [...jobIds].map((id) => learned.jobs.get(id)?.status);
  if (statuses.some((st) => typeof st !== 'string' || !URGENCY.includes(st))) return undefined;
  return URGENCY.find((u) => statuses.includes(u)) ?? null;
}

export function buildBody(spec: BodySpec, profile: ContractProfile, learned: LearnedCluster, resourceName: string, id?: string): BuiltBody {
  const pool = idsOfKind(profile, spec.kind);
  const ids = spec.picks.map((i) => pool[i % pool.length] ?? '');
  if (spec.duplicate && ids.length > 0) ids.push(ids[0] ?? '');
  // What the body means is what it sends: two picks of one id (modulo the profile's ids) repeat it too.
  const duplicated = new Set(ids).size < ids.length;
  const wrong = spec.wrongKind ? wrongKindId(spec, profile) : undefined;
  const sent = [...ids, ...(wrong ? [wrong.id] : []), ...(spec.unknownResource ? [randomUUID()] : [])];
  const f = profile.jobFilter;
  const filterBody: Record<string, unknown> | null | undefined = {
    absent: undefined,
    null: null,
    nulls: { namespace: null, priority: null },
    profile: { namespace: f.namespace, priority: f.priority },
    namespace: { namespace: f.namespace },
    priority: { priority: f.priority },
    nomatch: { priority: learned.unusedPriority },
    learned: { priority: learned.priorities[(spec.priorityPick ?? 0) % Math.max(learned.priorities.length, 1)] ?? f.priority },
    edges: learned.edgeFilters[(spec.priorityPick ?? 0) % Math.max(learned.edgeFilters.length, 1)] ?? { priority: learned.unusedPriority },
  }[spec.filter];
  const jobFilter = spec.kind === 'jobs' ? filterBody : spec.variant === 'nulls' ? null : undefined;
  const body: Body = { heartbeat_time: spec.heartbeat, resource_ids: sent, cluster_id: profile.clusterId };
  if (spec.variant === 'full') {
    Object.assign(body, {
      resource: spec.kind,
      policy_type: 'heartbeat',
      resource_name: resourceName,
      runc_root: '/run/containerd/runc/k8s.io',
    });
  } else if (spec.variant === 'nulls') {
    Object.assign(body, {
      id: null,
      resource: spec.kind === 'pods' ? null : spec.kind,
      policy_type: null,
      runc_root: null,
      resource_name: resourceName,
    });
  } else if (spec.kind !== 'pods') {
    body.resource = spec.kind;
  }
  if (jobFilter !== undefined) body.job_filter = jobFilter;
  if (id !== undefined) body.id = id;
  const filter =
    jobFilter && typeof jobFilter === 'object'
      ? {
          namespace: (jobFilter.namespace as string | null | undefined) ?? null,
          priority: (jobFilter.priority as number | null | undefined) ?? null,
        }
      : null;
  const settings: Settings = { kind: spec.kind, resourceIds: ids, heartbeat: spec.heartbeat, filter };
  if (spec.unknownResource) return { body, settings, refusal: 'must', why: 'it names a resource id that exists nowhere' };
  if (wrong)
    return {
      body,
      settings,
      refusal: 'must',
      why: `it names a ${KIND_NOUN[wrong.kind]} id in a ${spec.kind} policy's resource_ids (README: "every resource_ids entry must exist in that cluster as the resource's kind")`,
    };
  if (duplicated) return { body, settings, refusal: 'may', why: 'resource_ids names one id twice' };
  if (ids.length === 0 && spec.kind !== 'jobs')
    return { body, settings, refusal: 'may', why: `a ${spec.kind} policy with no resource_ids` };
  return { body, settings, refusal: 'no', why: '' };
}

export const unique = <T>(items: Iterable<T>): T[] => [...new Set(items)];

/** Jobs a jobs policy matches: those listed (every job when none is), narrowed by the filter. */
export function matchedJobs(s: Settings, learned: LearnedCluster): string[] {
  if (s.kind !== 'jobs') return [];
  const candidates = s.resourceIds.length > 0 ? unique(s.resourceIds) : [...learned.jobs.keys()];
  return candidates.filter((id) => {
    const job = learned.jobs.get(id);
    if (!job) return false;
    return (
      (s.filter?.namespace == null || job.namespace === s.filter.namespace) &&
      (s.filter?.priority == null || job.priority === s.filter.priority)
    );
  });
}

/** Pods a policy monitors; undefined when the model has not learned them (it then judges counts only). */
export function monitoredPods(s: Settings, learned: LearnedCluster): Set<string> | undefined {
  const union = (sets: (Set<string> | undefined)[]) =>
    sets.some((x) => x === undefined) ? undefined : new Set(sets.flatMap((x) => [...(x ?? [])]));
  switch (s.kind) {
    case 'pods':
      return new Set(s.resourceIds);
    case 'namespace':
      return union(unique(s.resourceIds).map((id) => learned.namespacePods.get(id)));
    case 'jobs':
      return union(matchedJobs(s, learned).map((id) => learned.jobPods.get(id)));
  }
}

/** Two settings that monitor and list the same; an update between them need not move the timestamp. */
export function sameSettings(a: Settings, b: Settings): boolean {
  const norm = (s: Settings) =>
    JSON.stringify([
      s.kind,
      [...s.resourceIds].sort(),
      s.heartbeat,
      s.kind === 'jobs' ? [s.filter?.namespace ?? null, s.filter?.priority ?? null] : null,
    ]);
  return norm(a) === norm(b);
}

/** A list's resource_list is what was sent: as sent, or without the repeats. */
export function sameResourceList(listed: unknown, sent: readonly string[]): boolean {
  if (!Array.isArray(listed)) return false;
  const key = (xs: readonly unknown[]) => JSON.stringify(xs.map(String).sort());
  return key(listed) === key(sent) || key(listed) === key(unique(sent));
}
