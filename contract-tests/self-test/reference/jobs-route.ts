import { UUID } from '../../uuid.js';
import { matchedJobs } from './matching.js';
import { HttpError, type Policy, type ReferenceState, type Reply } from './reference-state.js';

/** The jobs policy a /jobs or /job-status path names (404 without a body when there is none). */
export function jobsPolicy(s: ReferenceState, id: string): Policy {
  if (s.has('crash_on_long_id') && id.length > 36) throw new HttpError(500, 'value too long for type character varying(36)', true);
  const p = UUID.test(id) ? s.find(id, { includeDeleted: s.has('soft_delete') }) : undefined;
  if (!p || p.resource !== 'jobs') throw new HttpError(404, 'policy not found or not a job policy', true);
  return p;
}

/** GET /v2/policy/{id}/jobs: the jobs a jobs policy matches now. */
export function jobsRoute(s: ReferenceState, id: string): Reply {
  const p = jobsPolicy(s, id);
  const jobs = matchedJobs(s, p).map((j) => ({
    id: j.id,
    name: j.name,
    namespace: j.namespace,
    status: j.status,
    priority: j.priority,
    pod_count: s.has('job_info_pod_count_zero') ? 0 : j.podIds.length,
  }));
  return { status: 200, json: { policy_id: p.id, affected_jobs: jobs, count: jobs.length } };
}
