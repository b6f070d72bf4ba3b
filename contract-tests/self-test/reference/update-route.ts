import { track } from './matching.js';
import { parsePolicy } from './parse-policy.js';
import { HttpError, type Policy, type ReferenceState, type Reply } from './reference-state.js';

/** POST /v2/policy/update: replaces an existing policy's settings (a jobs policy resyncs), answered as text. */
export function updateRoute(s: ReferenceState, body: () => unknown, now: string): Reply {
  const parsed = parsePolicy(s, body(), true);
  const id = parsed.id as string;
  const existing = s.find(id);
  if (!existing && !s.has('update_upserts')) throw new HttpError(400, `policy ${id} does not exist`);
  const keepFilter = s.has('update_keeps_job_filter') && existing && parsed.jobFilter == null;
  const p: Policy = {
    ...parsed,
    ...(keepFilter ? { jobFilter: existing.jobFilter } : {}),
    id,
    // The fault: the creation time is kept as if it were the last change.
    timestamp: s.has('timestamp_frozen_on_update') && existing ? existing.timestamp : now,
    deleted: false,
    tracked: existing?.tracked ?? { jobIds: [], podIds: [], at: '' },
    ...(existing?.createdScope ? { createdScope: existing.createdScope } : {}),
    ...(existing?.podCountAtCreate !== undefined ? { podCountAtCreate: existing.podCountAtCreate } : {}),
  };
  if (s.has('update_does_not_resync') && existing?.resource === 'jobs') p.tracked = existing.tracked;
  else {
    p.tracked = { ...p.tracked };
    track(s, p);
  }
  if (!s.has('update_ignored')) s.policies.set(id, p);
  return { status: 200, text: s.idText(id) };
}
