// The operations `npm run bench` and `npm run bench:profile` load, and how our mock is filled for them.
import { readFileSync } from 'node:fs';
import type { LoadSpec } from './load.js';
import type { RunningProcess } from './processes.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/requests/valid/${name}.json`, import.meta.url), 'utf8');

export const AUTH = { Authorization: 'Bearer bench-token' };
export const JSON_AUTH = { ...AUTH, 'Content-Type': 'application/json' };
export const CREATE_BODY = fixture('create-namespace');
export const JOBS_BODY = fixture('create-jobs-all');
/** What Prism and the bare app are asked about (they answer any id). */
export const ANY_ID = 'b7fd99f4-01ff-475b-90ca-3ae2e5b48277';
export const SESSIONS = 20;
/** Policies the mock holds while list and pods are measured. */
export const POLICIES = 20;

export const ALL_OPS = ['list', 'create', 'update', 'delete', 'pods', 'jobs', 'job-status', 'sessions'] as const;
export type Op = (typeof ALL_OPS)[number];

/** The policies an operation is asked about: our mock's own, or any id for the others. */
export interface Ids {
  namespacePolicy: string;
  jobsPolicy: string;
}

export function loadOf(op: Op, ids: Ids): LoadSpec {
  const get = (path: string): LoadSpec => ({ method: 'GET', path, headers: AUTH });
  switch (op) {
    case 'list':
      return get('/v2/policy/list');
    case 'create':
      return { method: 'POST', path: '/v2/policy/create', headers: JSON_AUTH, body: CREATE_BODY };
    case 'update':
      return {
        method: 'POST',
        path: '/v2/policy/update',
        headers: JSON_AUTH,
        body: JSON.stringify({ ...JSON.parse(CREATE_BODY), id: ids.namespacePolicy }),
      };
    case 'delete':
      return {
        ...get('/v2/policy/list'),
        sequence: [
          { method: 'POST', path: '/v2/policy/create', headers: JSON_AUTH, body: CREATE_BODY },
          {
            method: 'DELETE',
            path: '/v2/policy/delete',
            headers: JSON_AUTH,
            bodyFrom: (id) => JSON.stringify({ id: id.trim() }),
            measured: true,
          },
        ],
      };
    case 'pods':
      return get(`/v2/policy/${ids.namespacePolicy}/pods`);
    case 'jobs':
      return get(`/v2/policy/${ids.jobsPolicy}/jobs`);
    case 'job-status':
      return get(`/v2/policy/${ids.jobsPolicy}/job-status`);
    case 'sessions':
      return {
        ...get('/v2/policy/list'),
        sequence: Array.from({ length: SESSIONS }, (_, i) => ({
          ...get('/v2/policy/list'),
          headers: { ...AUTH, 'X-Mock-Session': `bench-${i}` },
          measured: true,
        })),
      };
  }
}

/**
 * Our mock to POLICIES policies: the namespace policy (from the fixture) is the one /pods and
 * update ask about, the jobs policy (every job of the cluster) the one of /jobs and /job-status.
 */
export async function fill(server: RunningProcess): Promise<Ids> {
  const create = (body: string) =>
    fetch(`${server.url}/v2/policy/create`, { method: 'POST', headers: JSON_AUTH, body }).then(async (r) => {
      const text = await r.text();
      if (r.status !== 200) throw new Error(`create answered ${r.status}: ${text}`);
      return text;
    });
  const ids = { namespacePolicy: await create(CREATE_BODY), jobsPolicy: await create(JOBS_BODY) };
  for (let i = 0; i < POLICIES; i++) {
    const list = (await fetch(`${server.url}/v2/policy/list`, { headers: AUTH }).then((r) => r.json())) as unknown[];
    if (list.length >= POLICIES) break;
    await create(CREATE_BODY);
  }
  return ids;
}
