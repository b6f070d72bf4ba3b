import { certificateHint } from './target-tls.js';
import { ContractSetupError } from './config.js';
import { RESOURCE_KINDS, type ResourceKind } from './operations.js';
import type { RunState } from './run-state.js';

/** Probes with one id each, at most, per kind whose create was refused without naming ids. */
const MAX_SINGLE_PROBES = 8;

const idsOf = (s: RunState, kind: ResourceKind) =>
  kind === 'pods' ? s.profile.podIds : kind === 'namespace' ? s.profile.namespaceIds : s.profile.jobIds;

/**
 * Set-up checks of one target, before it is judged: it answers, accepts the token, has the
 * profile's ids, and has a job the profile's jobFilter matches. `name` (before the URL) and `tokenFlag`
 * say which target and flag a message is about (the compare target has its own).
 */
export async function checkSetUp(runState: RunState, name: string, tokenFlag: string): Promise<void> {
  const who = `${name}${runState.options.baseUrl}`;
  const { exchange, policies } = await runState.list();
  runState.baselineIds = new Set((policies ?? []).map((p) => p.id));
  const { status, error } = exchange.response;
  if (status === 0) throw new ContractSetupError(`cannot reach ${who}: ${error ?? 'no response'}${certificateHint(error ?? '')}`);
  if (status === 401 || status === 403) {
    throw new ContractSetupError(`${who} refused the token (GET /v2/policy/list → ${status}); set ${tokenFlag}`);
  }
  await checkProfile(runState);
  await checkJobFilter(runState, who);
}

/**
 * Set-up check: the profile's jobFilter matches a job of the target. Blamed on the profile only on
 * the target's own evidence: a jobs policy with no resource_ids lists the cluster's jobs, and none
 * has the filter's namespace and priority. Any other answer is left for the rules to judge.
 */
async function checkJobFilter(runState: RunState, who: string): Promise<void> {
  const { clusterId, jobFilter } = runState.profile;
  const { id } = await runState.createJson({
    heartbeat_time: 60,
    resource_ids: [],
    cluster_id: clusterId,
    resource: 'jobs',
    resource_name: runState.resourceName('profile-jobs'),
  });
  if (id === undefined) return;
  const exchange = await runState.jobs(id);
  await runState.deleteId(id);
  const jobs = (exchange.response.json as { affected_jobs?: unknown } | undefined)?.affected_jobs;
  if (exchange.response.status !== 200 || !Array.isArray(jobs) || jobs.length === 0) return;
  const matches = (jobs as { namespace?: unknown; priority?: unknown }[]).some(
    (job) => job.namespace === jobFilter.namespace && job.priority === jobFilter.priority,
  );
  if (matches) return;
  throw new ContractSetupError(
    `the profile's jobFilter ${JSON.stringify(jobFilter)} matches none of the ${jobs.length} jobs of ${who} (cluster ${clusterId}). Give a namespace and priority one of its jobs has (see "Writing a profile").`,
  );
}

/**
 * Set-up check: does the target have the profile's cluster and ids? One create per kind with all
 * of that kind's ids (deleted at once). A refusal is blamed on the profile only on evidence: the
 * refusal names ids it was sent (without echoing the whole body back), or an id is refused alone
 * while another of its kind is accepted. A target that refuses everything without saying why is
 * left to fail the rules: that is the target's fault, not the profile's.
 */
export async function checkProfile(runState: RunState): Promise<void> {
  const refused = new Map<string, string>();
  for (const kind of RESOURCE_KINDS) {
    const ids = idsOf(runState, kind);
    const verdict = await probe(runState, kind, ids, 'profile');
    if (verdict === 'accepted' || verdict === 'unclear') {
      if (verdict === 'unclear' && ids.length > 1) await probeOneByOne(runState, kind, ids, refused);
      continue;
    }
    for (const id of verdict) refused.set(id, id === runState.profile.clusterId ? 'cluster' : kind);
  }
  if (refused.size === 0) return;
  const list = [...refused].map(([id, kind]) => `${kind} ${id}`).join(', ');
  throw new ContractSetupError(
    `${runState.options.baseUrl} refused ids of the profile as unknown: ${list}. Give ids that exist on that target (see "Writing a profile").`,
  );
}

async function probeOneByOne(runState: RunState, kind: ResourceKind, ids: string[], refused: Map<string, string>): Promise<void> {
  const alone = new Map<string, boolean>();
  for (const id of ids.slice(0, MAX_SINGLE_PROBES)) alone.set(id, (await probe(runState, kind, [id], 'profile-one')) === 'accepted');
  // Only a contrast between siblings shows that an id, not the target, is the problem.
  if (![...alone.values()].some(Boolean)) return;
  for (const [id, ok] of alone) if (!ok) refused.set(id, kind);
}

/** `accepted`, the sent ids the refusal names, or `unclear` (refused without naming any, or not a 4xx). */
async function probe(runState: RunState, kind: ResourceKind, ids: string[], label: string): Promise<'accepted' | 'unclear' | string[]> {
  const name = runState.resourceName(`${label}-${kind}`);
  const { exchange, id } = await runState.createJson({
    heartbeat_time: 60,
    resource_ids: ids,
    cluster_id: runState.profile.clusterId,
    resource: kind,
    resource_name: name,
  });
  const { status, text } = exchange.response;
  if (status >= 200 && status < 300) {
    if (id !== undefined) await runState.deleteId(id);
    return 'accepted';
  }
  if (status < 400 || status >= 500 || text.includes(name)) return 'unclear';
  const named = [runState.profile.clusterId, ...ids].filter((sent) => text.toLowerCase().includes(sent.toLowerCase()));
  return named.length > 0 ? named : 'unclear';
}
