import { isInt32, isInt64 } from '../../integer-ranges.js';
import { UUID } from '../../uuid.js';
import { REFERENCE_DATA as DATA } from '../reference-data.js';
import { HttpError, type Policy, type ReferenceState } from './reference-state.js';

const KINDS = ['pods', 'namespace', 'jobs'] as const;

/** The body of a create or update, checked as the spec and README say (each check its faults' way out). */
export function parsePolicy(
  s: ReferenceState,
  body: unknown,
  forUpdate: boolean,
): Omit<Policy, 'id' | 'timestamp' | 'deleted' | 'tracked' | 'createdScope'> & { id?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'body must be a JSON object');
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  if (s.has('rejects_unknown_fields')) {
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
    (hb < 0 && !s.has('accepts_negative_heartbeat')) ||
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
  if (f === null && s.has('rejects_null_job_filter')) problems.push('job_filter must be an object');
  if (f != null) {
    if (typeof f !== 'object' || Array.isArray(f)) problems.push('job_filter must be an object');
    else {
      const { namespace, priority } = f as Record<string, unknown>;
      if (namespace != null && typeof namespace !== 'string') problems.push('job_filter.namespace must be a string');
      const int32 = typeof priority === 'number' && Number.isInteger(priority) && (s.has('accepts_int32_overflow') || isInt32(priority));
      if (priority != null && !int32) problems.push('job_filter.priority must be an int32');
    }
  }
  if (problems.length > 0) throw new HttpError(400, problems.join('; '));
  const resource = (b.resource ?? 'pods') as Policy['resource'];
  const resourceIds = b.resource_ids as string[];
  if (b.cluster_id !== DATA.clusterId && !s.has('accepts_unknown_cluster'))
    throw new HttpError(400, `unknown cluster ${String(b.cluster_id)}`);
  const known = new Set(
    s.has('resource_ids_any_kind')
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
  if (typeof b.id === 'string' && !UUID.test(b.id) && !s.has('accepts_non_uuid_explicit_id')) throw new HttpError(400, 'id must be a UUID');
  if (s.has('crash_on_empty_namespace_ids') && resource === 'namespace' && resourceIds.length === 0) {
    throw new HttpError(500, 'index out of range: resource_ids[0]');
  }
  if (s.variant('refuses_empty_pods_ids') && resource !== 'jobs' && resourceIds.length === 0) {
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
