import { REFERENCE_DATA as DATA } from '../reference-data.js';
import { matchedJobs, monitoredPods } from './matching.js';
import type { Policy, ReferenceState, Reply } from './reference-state.js';

const listEntry = (s: ReferenceState, p: Policy) => ({
  id: p.id,
  status: 'active',
  policy_type: 'heartbeat',
  input: s.has('list_input_is_string') ? String(p.heartbeat) : p.heartbeat,
  resource: s.has('defaulted_resource_listed_empty') ? (p.sentResource ?? '') : p.resource,
  resource_list: s.variant('dedup_resource_list') ? [...new Set(p.resourceIds)] : p.resourceIds,
  pod_count:
    s.has('pod_count_frozen_at_create') && p.podCountAtCreate !== undefined
      ? p.podCountAtCreate
      : monitoredPods(s, p).length + (s.has('pod_count_off_by_one') && p.resource === 'jobs' ? 1 : 0),
  ...(s.variant('job_count_absent') && p.resource !== 'jobs'
    ? {}
    : { job_count: p.resource === 'jobs' ? matchedJobs(s, p).length : s.has('job_count_zero_for_non_jobs') ? 0 : null }),
  timestamp: s.has('timestamp_not_date_time') ? new Date(p.timestamp).toUTCString() : p.timestamp,
  ...(s.variant('extra_response_fields')
    ? { cluster_id: DATA.clusterId, heartbeat_time: p.heartbeat, job_filter: p.jobFilter, created_by: 'reference' }
    : {}),
});

/** GET /v2/policy/list: every live policy, in creation order. */
export function listRoute(s: ReferenceState): Reply {
  const entries = s.live().map((p) => listEntry(s, p));
  return { status: 200, json: s.variant('list_newest_first') ? entries.reverse() : entries };
}
