import { pathToFileURL } from 'node:url';
import { loadProfile, type ContractProfile } from '../config.js';

/**
 * A scripted client, as a frontend's e2e suite would drive the API: create each kind of policy,
 * read them back every way, update, sync, delete, plus a few requests that break the spec. It
 * asserts nothing (observe mode is the judge); it fails only when a request cannot be sent.
 */
export async function sendTraffic(baseUrl: string, token: string, profile: ContractProfile): Promise<void> {
  const auth = { Authorization: `Bearer ${token}` };
  const send = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'Content-Type': contentType } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return { status: res.status, text: await res.text() };
  };
  const base = { cluster_id: profile.clusterId, resource_name: 'observe-e2e' };
  const create = async (body: Record<string, unknown>) => (await send('POST', '/v2/policy/create', { ...base, ...body })).text.trim();
  const reads = async (id: string, jobs: boolean) => {
    await send('GET', `/v2/policy/${id}/pods`);
    if (jobs) {
      await send('GET', `/v2/policy/${id}/jobs`);
      await send('GET', `/v2/policy/${id}/job-status`);
    }
  };

  await send('GET', '/v2/policy/list');
  const pods = await create({ heartbeat_time: 60, resource: 'pods', resource_ids: profile.podIds.slice(0, 2) });
  const jobs = await create({
    heartbeat_time: 120,
    resource: 'jobs',
    resource_ids: [],
    job_filter: profile.jobFilter,
    policy_type: 'heartbeat',
  });
  const namespace = await create({ heartbeat_time: 300, resource: 'namespace', resource_ids: profile.namespaceIds.slice(0, 1) });
  await send('GET', '/v2/policy/list');
  await reads(pods, false);
  await reads(jobs, true);
  await reads(namespace, false);
  await send('GET', `/v2/policy/${namespace}/jobs`); // not a jobs policy: 404
  await send('POST', '/v2/policy/update', {
    ...base,
    id: pods,
    heartbeat_time: 90,
    resource: 'pods',
    resource_ids: profile.podIds.slice(0, 1),
  });
  await send('GET', '/v2/policy/list');
  await reads(pods, false);
  await send('POST', '/v2/policy/update', {
    ...base,
    id: jobs,
    heartbeat_time: 120,
    resource: 'jobs',
    resource_ids: profile.jobIds.slice(0, 2),
  });
  await send('GET', '/v2/policy/list');
  await reads(jobs, true);
  await send('POST', '/v2/policy/sync-jobs');
  await send('GET', '/v2/policy/list');
  await reads(jobs, true);
  await send('GET', `/v2/policy/${jobs}/job-status`);
  // Requests that break the spec: the client's findings; the backend must refuse them as declared.
  await send('POST', '/v2/policy/create', { ...base, heartbeat_time: -1, resource_ids: profile.podIds.slice(0, 1) });
  await send('POST', '/v2/policy/create', 'heartbeat_time=60', 'text/plain');
  await send('GET', '/v2/policy/not-a-uuid/pods');
  await send('GET', '/v2/policy/not-a-uuid/job-status');
  await fetch(`${baseUrl}/v2/policy/list`).then((res) => res.text()); // no token: refused
  for (const id of [pods, jobs, namespace]) await send('DELETE', '/v2/policy/delete', { id });
  await send('GET', '/v2/policy/list');
  await reads(pods, false);
  await send('GET', `/v2/policy/${jobs}/job-status`);
  await send('POST', '/v2/policy/update', { ...base, id: pods, heartbeat_time: 30, resource_ids: profile.podIds.slice(0, 1) });
}

// As the COMMAND of observe mode: `node --import tsx observe-traffic.ts` with CONTRACT_OBSERVE_URL set.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.CONTRACT_OBSERVE_URL;
  if (!url) throw new Error('CONTRACT_OBSERVE_URL is not set');
  await sendTraffic(
    url,
    process.env.TRAFFIC_TOKEN ?? 'dev-token',
    loadProfile(process.env.TRAFFIC_PROFILE ?? 'fixtures/contract-profile.json'),
  );
}
