import { REFERENCE_DATA as DATA } from '../reference-data.js';
import { jobsPolicy } from './jobs-route.js';
import type { ReferenceState, Reply } from './reference-state.js';

/** README: "the most urgent status of the tracked jobs: Running, Suspended, Failed, Complete". */
const URGENCY = ['Running', 'Suspended', 'Failed', 'Complete'];

/** GET /v2/policy/{id}/job-status: what a jobs policy tracked at its last sync. */
export function jobStatusRoute(s: ReferenceState, id: string): Reply {
  const p = jobsPolicy(s, id);
  const t = p.tracked;
  const statuses = t.jobIds.map((jobId) => [...s.jobs, ...(DATA.other?.jobs ?? [])].find((j) => j.id === jobId)?.status ?? '');
  const urgency = s.has('job_status_least_urgent') ? [...URGENCY].reverse() : URGENCY;
  const jobStatus = urgency.find((u) => statuses.includes(u)) ?? null;
  return {
    status: 200,
    json: {
      policy_id: p.id,
      job_ids: t.jobIds,
      tracked_pods: t.podIds,
      pod_count: t.podIds.length,
      job_status: jobStatus,
      last_updated: s.has('last_updated_is_read_time') ? s.stamp(new Date()) : t.at === '' ? null : t.at,
    },
  };
}
