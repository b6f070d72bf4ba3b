import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listOperations, loadSpec } from '../spec.js';
import { UUID } from '../uuid.js';
import { REFERENCE_DATA as DATA } from './reference-data.js';
import { isInt32, isInt64 } from '../integer-ranges.js';

/**
 * One deliberate contract violation each; the reference server without a fault is correct.
 * Faults are named after what the server does wrong.
 */
export type Fault =
  | 'list_input_is_string'
  | 'pod_missing_status'
  | 'timestamp_not_date_time'
  | 'create_answers_201'
  | 'create_answers_json'
  | 'errors_as_text_plain'
  | 'crash_on_bad_json'
  | 'accepts_negative_heartbeat'
  | 'accepts_int32_overflow'
  | 'accepts_text_plain_body'
  | 'stores_rejected_create'
  | 'rejects_null_job_filter'
  | 'stateless_create'
  | 'update_ignored'
  | 'crash_on_long_id'
  | 'pod_count_off_by_one'
  | 'pods_policy_monitors_nothing'
  | 'ignores_priority_filter'
  | 'sync_clears_tracking'
  | 'soft_delete'
  | 'update_upserts'
  | 'unknown_id_200'
  | 'malformed_id_404_on_pods'
  | 'auth_ignored'
  | 'any_token_accepted'
  | 'refuses_every_create'
  // Misses of the scripted rules (issue #12), found by the model:
  | 'create_overwrites_taken_id'
  | 'job_filter_ignores_resource_ids'
  | 'sync_keeps_created_filter'
  | 'job_count_zero_for_non_jobs'
  | 'defaulted_resource_listed_empty'
  | 'timestamp_frozen_on_update'
  | 'duplicate_ids_counted_twice'
  // Judge's faults (branch judge): realistic single mistakes, each a violation of README/spec.
  | 'priority_zero_ignored'
  | 'jobs_policy_pods_whole_namespace'
  | 'job_info_pod_count_zero'
  | 'job_status_least_urgent'
  | 'error_code_not_status'
  | 'resource_ids_any_kind'
  | 'all_jobs_across_clusters'
  | 'namespace_pods_across_clusters'
  | 'namespace_running_pods_only'
  | 'rejects_json_charset'
  | 'rejects_unknown_fields'
  | 'create_id_json_quoted'
  | 'accepts_unknown_cluster'
  | 'accepts_non_uuid_explicit_id'
  | 'job_status_empty_until_sync'
  | 'update_does_not_resync'
  | 'sync_keeps_last_updated'
  | 'delete_unknown_200'
  | 'update_keeps_job_filter'
  | 'api_key_operations_unauthenticated'
  | 'create_answers_text_html'
  | 'crash_on_empty_namespace_ids'
  | 'last_updated_is_read_time'
  | 'pods_404_bare'
  | 'sync_stops_after_first'
  | 'sync_fails_without_jobs_policies'
  | 'pod_count_frozen_at_create';

/**
 * Behaviour the contract allows, each a way a faithful server may differ from this one: the suite
 * must pass every one (a failure is a false alarm).
 */
export type Variant =
  | 'json_charset'
  | 'list_newest_first'
  | 'second_resolution_offset_times'
  | 'forbidden_for_wrong_token'
  | 'refuses_empty_pods_ids'
  | 'extra_response_fields'
  | 'id_with_newline'
  | 'dedup_resource_list'
  | 'timestamp_moves_on_sync'
  | 'job_count_absent'
  | 'null_priority_job';

export interface ReferenceServerOptions {
  fault?: Fault | undefined;
  /** An allowed difference (judge's false-alarm probes). */
  variant?: Variant | undefined;
  /** The only bearer token accepted (any non-empty one when unset). */
  token?: string | undefined;
  /** A teammate shares the server: their policy appears right after the suite's first create. */
  teammate?: boolean | undefined;
  /** Listen on this port (default: a free one). */
  port?: number | undefined;
}

export interface ReferenceServer {
  url: string;
  /** Ids of the policies it holds now (to prove the suite cleans up). */
  policyIds(): string[];
  close(): Promise<void>;
}

interface Policy {
  id: string;
  resource: 'pods' | 'namespace' | 'jobs';
  resourceIds: string[];
  heartbeat: number;
  jobFilter: { namespace?: string | null; priority?: number | null } | null;
  timestamp: string;
  deleted: boolean;
  tracked: { jobIds: string[]; podIds: string[]; at: string };
  /** What the request said about `resource` (the defaulted_resource_listed_empty fault lists it). */
  sentResource: string | null;
  /** The pod_count_frozen_at_create fault: list's pod_count as computed at create. */
  podCountAtCreate?: number;
  /** The scope as created: the sync_keeps_created_filter fault syncs against it forever. */
  createdScope?: Pick<Policy, 'resourceIds' | 'jobFilter'>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Declared responses without content get no body. */
    readonly bare = false,
  ) {
    super(message);
  }
}

/** The method of each fixed path, from the spec (405 for another method, 404 for another path). */
const METHODS: Record<string, string> = Object.fromEntries(
  listOperations(loadSpec())
    .filter((op) => op.pathParameters.length === 0)
    .map((op) => [op.path, op.method]),
);
const KINDS = ['pods', 'namespace', 'jobs'] as const;
/** README: "the most urgent status of the tracked jobs: Running, Suspended, Failed, Complete". */
const URGENCY = ['Running', 'Suspended', 'Failed', 'Complete'];
const REASONS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  500: 'INTERNAL_SERVER_ERROR',
};

/** A small, correct, in-memory Policy API (node:http only), with an optional fault. */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const fault = options.fault;
  const policies = new Map<string, Policy>();
  const live = () => [...policies.values()].filter((p) => !p.deleted);
  const has = (f: Fault) => fault === f;
  const variant = (v: Variant) => options.variant === v;
  const OTHER = DATA.other;
  // The null_priority_job variant: one job without a priority (the schema allows null).
  const JOBS = variant('null_priority_job') ? DATA.jobs.map((j, i) => (i === 4 ? { ...j, priority: null } : j)) : DATA.jobs;

  const matchedJobs = (p: Pick<Policy, 'resource' | 'resourceIds' | 'jobFilter'>) => {
    if (p.resource !== 'jobs') return [];
    const ids = new Set(p.resourceIds);
    const filtered = p.jobFilter != null && (p.jobFilter.namespace != null || p.jobFilter.priority != null);
    // The fault: with a filter, the listed ids are forgotten (every job of the cluster is filtered).
    const byIds = (j: { id: string }) => ids.size === 0 || ids.has(j.id) || (has('job_filter_ignores_resource_ids') && filtered);
    const all = has('all_jobs_across_clusters') && ids.size === 0 ? [...JOBS, ...(OTHER?.jobs ?? [])] : JOBS;
    const candidates =
      has('duplicate_ids_counted_twice') && ids.size > 0 ? p.resourceIds.flatMap((id) => JOBS.filter((j) => j.id === id)) : all;
    // The priority_zero_ignored fault: a truthiness test, so priority 0 reads as "no filter".
    const noPriority = has('priority_zero_ignored') ? !p.jobFilter?.priority : p.jobFilter?.priority == null;
    return candidates.filter(
      (j) =>
        byIds(j) &&
        (p.jobFilter?.namespace == null || j.namespace === p.jobFilter.namespace) &&
        (has('ignores_priority_filter') || noPriority || j.priority === p.jobFilter?.priority),
    );
  };
  const monitoredPods = (p: Pick<Policy, 'resource' | 'resourceIds' | 'jobFilter'>) => {
    if (p.resource === 'pods') {
      if (has('duplicate_ids_counted_twice')) return p.resourceIds.flatMap((id) => DATA.pods.filter((pod) => pod.id === id));
      return has('pods_policy_monitors_nothing') ? [] : DATA.pods.filter((pod) => p.resourceIds.includes(pod.id));
    }
    if (p.resource === 'namespace') {
      const names = DATA.namespaces.filter((n) => p.resourceIds.includes(n.id)).map((n) => n.name);
      // namespace_pods_across_clusters: joined on the namespace name alone, whatever the cluster.
      const pool = has('namespace_pods_across_clusters') ? [...DATA.pods, ...(OTHER?.pods ?? [])] : DATA.pods;
      return pool.filter((pod) => names.includes(pod.namespace) && (!has('namespace_running_pods_only') || pod.status === 'Running'));
    }
    if (has('jobs_policy_pods_whole_namespace')) {
      const names = new Set(matchedJobs(p).map((j) => j.namespace));
      return DATA.pods.filter((pod) => names.has(pod.namespace));
    }
    const podIds = new Set(matchedJobs(p).flatMap((j) => j.podIds));
    return [...DATA.pods, ...(OTHER?.pods ?? [])].filter((pod) => podIds.has(pod.id));
  };
  const track = (p: Policy) => {
    const scope = has('sync_keeps_created_filter') && p.createdScope ? { ...p, ...p.createdScope } : p;
    p.tracked = {
      jobIds: matchedJobs(scope).map((j) => j.id),
      podIds: monitoredPods(scope).map((pod) => pod.id),
      at: has('sync_keeps_last_updated') && p.tracked.at !== '' ? p.tracked.at : stamp(new Date()),
    };
  };
  /** Times as sent: RFC 3339 in UTC with milliseconds, or (a variant) whole seconds with an offset. */
  const stamp = (d: Date) => (variant('second_resolution_offset_times') ? d.toISOString().replace(/\.\d{3}Z$/, '+00:00') : d.toISOString());
  /** The id as create and update answer it. */
  const idText = (id: string) => (has('create_id_json_quoted') ? JSON.stringify(id) : variant('id_with_newline') ? `${id}\n` : id);
  const find = (id: string, { includeDeleted = false } = {}) => {
    const p = policies.get(id);
    return p && (!p.deleted || includeDeleted) ? p : undefined;
  };

  function parsePolicy(
    body: unknown,
    forUpdate: boolean,
  ): Omit<Policy, 'id' | 'timestamp' | 'deleted' | 'tracked' | 'createdScope'> & { id?: string } {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
    const b = body as Record<string, unknown>;
    const problems: string[] = [];
    if (has('rejects_unknown_fields')) {
      const known = [
        'cluster_id',
        'heartbeat_time',
        'id',
        'job_filter',
        'policy_type',
        'resource',
        'resource_ids',
        'resource_name',
        'runc_root',
      ];
      for (const k of Object.keys(b)) if (!known.includes(k)) problems.push(`unknown field ${k}`);
    }
    const hb = b.heartbeat_time;
    if (
      typeof hb !== 'number' ||
      !Number.isInteger(hb) ||
      (hb < 0 && !has('accepts_negative_heartbeat')) ||
      !isInt64(hb) ||
      !Number.isSafeInteger(hb)
    ) {
      problems.push('heartbeat_time must be a non-negative integer');
    }
    if (!Array.isArray(b.resource_ids) || !b.resource_ids.every((id) => typeof id === 'string' && UUID.test(id))) {
      problems.push('resource_ids must be an array of UUIDs');
    }
    if (typeof b.cluster_id !== 'string') problems.push('cluster_id must be a string');
    if (b.id !== undefined && b.id !== null && typeof b.id !== 'string') problems.push('id must be a string');
    if (b.resource != null && !KINDS.includes(b.resource as never)) problems.push('resource must be one of pods, namespace, jobs');
    if (b.policy_type != null && b.policy_type !== 'heartbeat') problems.push('policy_type must be heartbeat');
    if (b.resource_name !== undefined && typeof b.resource_name !== 'string') problems.push('resource_name must be a string');
    if (b.runc_root != null && typeof b.runc_root !== 'string') problems.push('runc_root must be a string');
    const f = b.job_filter;
    if (f === null && has('rejects_null_job_filter')) problems.push('job_filter must be an object');
    if (f != null) {
      if (typeof f !== 'object' || Array.isArray(f)) problems.push('job_filter must be an object');
      else {
        const { namespace, priority } = f as Record<string, unknown>;
        if (namespace != null && typeof namespace !== 'string') problems.push('job_filter.namespace must be a string');
        const int32 = typeof priority === 'number' && Number.isInteger(priority) && (has('accepts_int32_overflow') || isInt32(priority));
        if (priority != null && !int32) problems.push('job_filter.priority must be an int32');
      }
    }
    if (problems.length > 0) throw new HttpError(400, problems.join('; '));
    const resource = (b.resource ?? 'pods') as Policy['resource'];
    const resourceIds = b.resource_ids as string[];
    if (b.cluster_id !== DATA.clusterId && !has('accepts_unknown_cluster'))
      throw new HttpError(400, `unknown cluster ${String(b.cluster_id)}`);
    const known = new Set(
      has('resource_ids_any_kind')
        ? [...DATA.pods, ...DATA.namespaces, ...DATA.jobs].map((x) => x.id)
        : resource === 'pods'
          ? DATA.pods.map((p) => p.id)
          : resource === 'namespace'
            ? DATA.namespaces.map((n) => n.id)
            : DATA.jobs.map((j) => j.id),
    );
    const unknown = resourceIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new HttpError(400, `unknown ${resource} ids: ${unknown.join(', ')}`);
    if (forUpdate && typeof b.id !== 'string') throw new HttpError(400, 'id is required');
    if (typeof b.id === 'string' && !UUID.test(b.id) && !has('accepts_non_uuid_explicit_id')) throw new HttpError(400, 'id must be a UUID');
    if (has('crash_on_empty_namespace_ids') && resource === 'namespace' && resourceIds.length === 0) {
      throw new HttpError(500, 'index out of range: resource_ids[0]');
    }
    if (variant('refuses_empty_pods_ids') && resource !== 'jobs' && resourceIds.length === 0) {
      throw new HttpError(400, `a ${resource} policy needs at least one resource id`);
    }
    return {
      ...(typeof b.id === 'string' ? { id: b.id } : {}),
      resource,
      resourceIds,
      heartbeat: hb as number,
      jobFilter: f ?? null,
      sentResource: typeof b.resource === 'string' ? b.resource : null,
    };
  }

  const listEntry = (p: Policy) => ({
    id: p.id,
    status: 'active',
    policy_type: 'heartbeat',
    input: has('list_input_is_string') ? String(p.heartbeat) : p.heartbeat,
    resource: has('defaulted_resource_listed_empty') ? (p.sentResource ?? '') : p.resource,
    resource_list: variant('dedup_resource_list') ? [...new Set(p.resourceIds)] : p.resourceIds,
    pod_count:
      has('pod_count_frozen_at_create') && p.podCountAtCreate !== undefined
        ? p.podCountAtCreate
        : monitoredPods(p).length + (has('pod_count_off_by_one') && p.resource === 'jobs' ? 1 : 0),
    ...(variant('job_count_absent') && p.resource !== 'jobs'
      ? {}
      : { job_count: p.resource === 'jobs' ? matchedJobs(p).length : has('job_count_zero_for_non_jobs') ? 0 : null }),
    timestamp: has('timestamp_not_date_time') ? new Date(p.timestamp).toUTCString() : p.timestamp,
    ...(variant('extra_response_fields')
      ? { cluster_id: DATA.clusterId, heartbeat_time: p.heartbeat, job_filter: p.jobFilter, created_by: 'reference' }
      : {}),
  });

  type Reply = { status: number; json?: unknown; text?: string; contentType?: string };

  // One signature for every route, whether it awaits or not.
  // eslint-disable-next-line @typescript-eslint/require-await
  async function handle(req: IncomingMessage, path: string, method: string, body: () => unknown): Promise<Reply> {
    const route = /^\/v2\/policy\/([^/]+)\/(pods|jobs|job-status)$/.exec(path);
    if (route) {
      if (method !== 'GET') throw new HttpError(405, 'method not allowed');
      const id = safeDecode(route[1] ?? '');
      if (route[2] === 'pods') {
        if (!UUID.test(id) && !has('malformed_id_404_on_pods')) throw new HttpError(400, `policy id ${id} is not a UUID`);
        const p = find(id, { includeDeleted: has('soft_delete') });
        if (!p) {
          if (has('unknown_id_200')) return { status: 200, json: [] };
          throw new HttpError(404, `policy ${id} not found`, has('pods_404_bare'));
        }
        return {
          status: 200,
          json: monitoredPods(p).map((pod) =>
            has('pod_missing_status')
              ? { id: pod.id, name: pod.name, namespace: pod.namespace }
              : variant('extra_response_fields')
                ? { ...pod, node: 'node-1', restarts: 0 }
                : pod,
          ),
        };
      }
      if (has('crash_on_long_id') && id.length > 36) throw new HttpError(500, 'value too long for type character varying(36)', true);
      const p = UUID.test(id) ? find(id, { includeDeleted: has('soft_delete') }) : undefined;
      if (!p || p.resource !== 'jobs') throw new HttpError(404, 'policy not found or not a job policy', true);
      if (route[2] === 'jobs') {
        const jobs = matchedJobs(p).map((j) => ({
          id: j.id,
          name: j.name,
          namespace: j.namespace,
          status: j.status,
          priority: j.priority,
          pod_count: has('job_info_pod_count_zero') ? 0 : j.podIds.length,
        }));
        return { status: 200, json: { policy_id: p.id, affected_jobs: jobs, count: jobs.length } };
      }
      const t = p.tracked;
      // README: job_status is the most urgent status of the tracked jobs: Running, Suspended, Failed, Complete.
      const statuses = t.jobIds.map((id) => [...JOBS, ...(OTHER?.jobs ?? [])].find((j) => j.id === id)?.status ?? '');
      const urgency = has('job_status_least_urgent') ? [...URGENCY].reverse() : URGENCY;
      const jobStatus = urgency.find((u) => statuses.includes(u)) ?? null;
      return {
        status: 200,
        json: {
          policy_id: p.id,
          job_ids: t.jobIds,
          tracked_pods: t.podIds,
          pod_count: t.podIds.length,
          job_status: jobStatus,
          last_updated: has('last_updated_is_read_time') ? stamp(new Date()) : t.at === '' ? null : t.at,
        },
      };
    }
    const allowed = METHODS[path];
    if (!allowed) throw new HttpError(404, `no route ${path}`);
    if (method !== allowed) throw new HttpError(405, 'method not allowed');
    const now = stamp(new Date());
    switch (path) {
      case '/v2/policy/list': {
        const entries = live().map(listEntry);
        return { status: 200, json: variant('list_newest_first') ? entries.reverse() : entries };
      }
      case '/v2/policy/sync-jobs':
        if (has('sync_fails_without_jobs_policies') && !live().some((p) => p.resource === 'jobs')) {
          throw new HttpError(500, 'no job policies to sync', true);
        }
        for (const [i, p] of live()
          .filter((x) => x.resource === 'jobs')
          .entries()) {
          if (has('sync_stops_after_first') && i > 0) break;
          if (has('sync_clears_tracking')) p.tracked = { jobIds: [], podIds: [], at: now };
          else track(p);
          if (variant('timestamp_moves_on_sync')) p.timestamp = now;
        }
        return { status: 200, json: { message: 'job policies synced', code: '200' } };
      case '/v2/policy/create': {
        if (has('refuses_every_create')) throw new HttpError(400, 'invalid request body');
        const raw = body();
        let parsed;
        try {
          parsed = parsePolicy(raw, false);
        } catch (error) {
          // The fault: stores what it has just refused.
          if (has('stores_rejected_create') && typeof raw === 'object' && raw !== null) {
            const id = randomUUID();
            policies.set(id, {
              id,
              resource: 'pods',
              resourceIds: [],
              heartbeat: 0,
              jobFilter: null,
              timestamp: now,
              deleted: false,
              tracked: { jobIds: [], podIds: [], at: now },
              sentResource: 'pods',
            });
          }
          throw error;
        }
        const id = parsed.id ?? randomUUID();
        if (find(id) && !has('create_overwrites_taken_id')) throw new HttpError(400, `policy ${id} already exists`);
        const p: Policy = {
          ...parsed,
          id,
          timestamp: now,
          deleted: false,
          tracked: { jobIds: [], podIds: [], at: now },
          createdScope: { resourceIds: parsed.resourceIds, jobFilter: parsed.jobFilter },
        };
        if (has('job_status_empty_until_sync')) p.tracked = { jobIds: [], podIds: [], at: '' };
        else track(p);
        if (has('pod_count_frozen_at_create')) p.podCountAtCreate = monitoredPods(p).length;
        if (!has('stateless_create')) policies.set(id, p);
        if (options.teammate && policies.size === 1) {
          const theirs = randomUUID();
          policies.set(theirs, {
            id: theirs,
            resource: 'pods',
            resourceIds: [],
            heartbeat: 86_400,
            jobFilter: null,
            timestamp: now,
            deleted: false,
            tracked: { jobIds: [], podIds: [], at: now },
            sentResource: 'pods',
          });
        }
        if (has('create_answers_201')) return { status: 201, text: id };
        if (has('create_answers_json')) return { status: 200, json: id };
        if (has('create_answers_text_html')) return { status: 200, text: id, contentType: 'text/html; charset=utf-8' };
        return { status: 200, text: idText(id) };
      }
      case '/v2/policy/update': {
        const parsed = parsePolicy(body(), true);
        const id = parsed.id as string;
        const existing = find(id);
        if (!existing && !has('update_upserts')) throw new HttpError(400, `policy ${id} does not exist`);
        const keepFilter = has('update_keeps_job_filter') && existing && parsed.jobFilter == null;
        const p: Policy = {
          ...parsed,
          ...(keepFilter ? { jobFilter: existing.jobFilter } : {}),
          id,
          // The fault: the creation time is kept as if it were the last change.
          timestamp: has('timestamp_frozen_on_update') && existing ? existing.timestamp : now,
          deleted: false,
          tracked: existing?.tracked ?? { jobIds: [], podIds: [], at: '' },
          ...(existing?.createdScope ? { createdScope: existing.createdScope } : {}),
          ...(existing?.podCountAtCreate !== undefined ? { podCountAtCreate: existing.podCountAtCreate } : {}),
        };
        if (has('update_does_not_resync') && existing?.resource === 'jobs') p.tracked = existing.tracked;
        else {
          p.tracked = { ...p.tracked };
          track(p);
        }
        if (!has('update_ignored')) policies.set(id, p);
        return { status: 200, text: idText(id) };
      }
      default: {
        const b = body() as { id?: unknown } | null;
        if (typeof b !== 'object' || b === null || typeof b.id !== 'string' || !UUID.test(b.id))
          throw new HttpError(400, 'id must be a UUID');
        const p = find(b.id);
        if (!p && has('delete_unknown_200')) return { status: 200, json: { message: `policy ${b.id} deleted`, code: '200' } };
        if (!p) throw new HttpError(400, `policy ${b.id} does not exist`);
        if (has('soft_delete')) p.deleted = true;
        else policies.delete(b.id);
        return { status: 200, json: { message: `policy ${b.id} deleted`, code: '200' } };
      }
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void respond(req, res, utf8(Buffer.concat(chunks)));
    });
  });

  /** The body as text: undefined when it is not UTF-8 (RFC 8259 §8.1). */
  async function respond(req: IncomingMessage, res: ServerResponse, text: string | undefined): Promise<void> {
    let reply: Reply;
    try {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer (\S+)$/.exec(auth)?.[1];
      const tokenOk = token !== undefined && (options.token === undefined || has('any_token_accepted') || token === options.token);
      const url = new URL(req.url ?? '/', 'http://reference');
      // The api_key_operations_unauthenticated fault: only the operations secured by `Token` check it.
      const apiKeyOp = /^\/v2\/policy\/(sync-jobs|[^/]+\/(jobs|job-status))$/.test(url.pathname);
      const skipAuth = has('auth_ignored') || (has('api_key_operations_unauthenticated') && apiKeyOp);
      if (!tokenOk && !skipAuth) {
        const wrongToken = token !== undefined && variant('forbidden_for_wrong_token');
        throw new HttpError(wrongToken ? 403 : 401, 'missing or invalid bearer token');
      }
      const body = () => {
        const header = req.headers['content-type'] ?? '';
        const mediaType = has('rejects_json_charset') ? header : header.split(';')[0]?.trim().toLowerCase();
        if (mediaType !== 'application/json' && !(has('accepts_text_plain_body') && mediaType === 'text/plain')) {
          throw new HttpError(400, 'Content-Type must be application/json');
        }
        if (text === undefined) throw new HttpError(400, 'the body is not UTF-8');
        try {
          return JSON.parse(text) as unknown;
        } catch {
          if (has('crash_on_bad_json')) throw new HttpError(500, 'Unexpected token');
          throw new HttpError(400, 'malformed JSON');
        }
      };
      reply = await handle(req, url.pathname, req.method ?? 'GET', body);
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, String(error));
      if (e.bare) reply = { status: e.status };
      else if (has('errors_as_text_plain')) reply = { status: e.status, text: e.message };
      else {
        const code = has('error_code_not_status') ? (REASONS[e.status] ?? 'ERROR') : String(e.status);
        reply = { status: e.status, json: { message: e.message, code, details: null } };
      }
    }
    if (reply.json !== undefined) {
      const jsonType = variant('json_charset') ? 'application/json; charset=utf-8' : 'application/json';
      res.writeHead(reply.status, { 'Content-Type': jsonType }).end(JSON.stringify(reply.json));
    } else if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8' }).end(reply.text);
    } else {
      res.writeHead(reply.status).end();
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    policyIds: () => live().map((p) => p.id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
