import { track } from './matching.js';
import { HttpError, type ReferenceState, type Reply } from './reference-state.js';

/** POST /v2/policy/sync-jobs: every jobs policy tracks what it matches now. */
export function syncJobsRoute(s: ReferenceState, now: string): Reply {
  if (s.has('sync_fails_without_jobs_policies') && !s.live().some((p) => p.resource === 'jobs')) {
    throw new HttpError(500, 'no job policies to sync', true);
  }
  for (const [i, p] of s
    .live()
    .filter((x) => x.resource === 'jobs')
    .entries()) {
    if (s.has('sync_stops_after_first') && i > 0) break;
    if (s.has('sync_clears_tracking')) p.tracked = { jobIds: [], podIds: [], at: now };
    else track(s, p);
    if (s.variant('timestamp_moves_on_sync')) p.timestamp = now;
  }
  return { status: 200, json: { message: 'job policies synced', code: '200' } };
}
