import createClient from 'openapi-fetch';
import type { paths } from '../../src/spec/openapi-types.js'; // npx openapi-typescript spec/openapi.json -o openapi-types.ts

export async function tryTheMock(baseUrl: string, token: string) {
  const api = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

  const { data: policies = [] } = await api.GET('/v2/policy/list');

  // create and update answer 200 text/plain (the new id): tell openapi-fetch not to parse JSON.
  const cluster_id = '4247584f-b16a-42f7-8cc5-69c34a72638d';
  const resource_ids = ['c7bc5ebe-67ea-483f-b8c3-6682a03be96d']; // a namespace of the default seed
  const created = await api.POST('/v2/policy/create', {
    body: { cluster_id, heartbeat_time: 300, resource: 'namespace', resource_ids },
    parseAs: 'text',
  });
  if (created.error) throw new Error(`create refused: ${created.error.message}`); // an ApiError
  const id = created.data;
  await api.POST('/v2/policy/update', { body: { id, cluster_id, heartbeat_time: 60, resource: 'namespace', resource_ids }, parseAs: 'text' });

  const { data: pods } = await api.GET('/v2/policy/{policy_id}/pods', { params: { path: { policy_id: id } } });

  // /jobs and /job-status answer 404 with no body for anything but a jobs policy: branch on the status.
  const jobs = await api.GET('/v2/policy/{policy_id}/jobs', { params: { path: { policy_id: id } } });
  const affected = jobs.response.status === 404 ? null : jobs.data;
  const status = await api.GET('/v2/policy/{policy_id}/job-status', { params: { path: { policy_id: id } } });
  const lastSync = status.response.status === 404 ? null : status.data?.last_updated;

  return { policies: policies.length, id, pods: pods?.length, affected, lastSync };
}
