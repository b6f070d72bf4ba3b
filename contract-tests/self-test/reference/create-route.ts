import { randomUUID } from 'node:crypto';
import { monitoredPods, track } from './matching.js';
import { parsePolicy } from './parse-policy.js';
import { HttpError, type Policy, type ReferenceState, type Reply } from './reference-state.js';

/** A policy nobody asked for (a refused create kept, a teammate's), monitoring nothing. */
const stray = (id: string, heartbeat: number, now: string): Policy => ({
  id,
  resource: 'pods',
  resourceIds: [],
  heartbeat,
  jobFilter: null,
  timestamp: now,
  deleted: false,
  tracked: { jobIds: [], podIds: [], at: now },
  sentResource: 'pods',
});

/** POST /v2/policy/create: a new policy under a free id (the one sent, else a new UUID), answered as text. */
export function createRoute(s: ReferenceState, body: () => unknown, now: string): Reply {
  if (s.has('refuses_every_create')) throw new HttpError(400, 'invalid request body');
  const raw = body();
  let parsed;
  try {
    parsed = parsePolicy(s, raw, false);
  } catch (error) {
    // The fault: stores what it has just refused.
    if (s.has('stores_rejected_create') && typeof raw === 'object' && raw !== null) {
      const id = randomUUID();
      s.policies.set(id, stray(id, 0, now));
    }
    throw error;
  }
  const id = parsed.id ?? randomUUID();
  if (s.find(id) && !s.has('create_overwrites_taken_id')) throw new HttpError(400, `policy ${id} already exists`);
  const p: Policy = {
    ...parsed,
    id,
    timestamp: now,
    deleted: false,
    tracked: { jobIds: [], podIds: [], at: now },
    createdScope: { resourceIds: parsed.resourceIds, jobFilter: parsed.jobFilter },
  };
  if (s.has('job_status_empty_until_sync')) p.tracked = { jobIds: [], podIds: [], at: '' };
  else track(s, p);
  if (s.has('pod_count_frozen_at_create')) p.podCountAtCreate = monitoredPods(s, p).length;
  if (!s.has('stateless_create')) s.policies.set(id, p);
  if (s.teammate && s.policies.size === 1) {
    const theirs = randomUUID();
    s.policies.set(theirs, stray(theirs, 86_400, now));
  }
  if (s.has('create_answers_201')) return { status: 201, text: id };
  if (s.has('create_answers_json')) return { status: 200, json: id };
  if (s.has('create_answers_text_html')) return { status: 200, text: id, contentType: 'text/html; charset=utf-8' };
  return { status: 200, text: s.idText(id) };
}
