import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import type { paths } from '../../src/spec/openapi-types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { REPO_ROOT } from '../helpers/spawn-mock.js';
import { tryTheMock } from './typed-client.js';

// The README's typed-client section is this file, word for word, and it works against the mock.
let mock: RunningServer | undefined;
beforeAll(async () => {
  mock = await startServer();
});
afterAll(async () => {
  await mock?.close();
});

describe('the typed client (openapi-fetch + openapi-typescript) of the README', () => {
  it('is shown in docs/frontend.md exactly as it is here', () => {
    const readme = readFileSync(`${REPO_ROOT}/docs/frontend.md`, 'utf8');
    const file = readFileSync(`${REPO_ROOT}/test/frontend/typed-client.ts`, 'utf8');
    const block = /<!-- typed-client: test\/frontend\/typed-client\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(file);
  });

  it('creates, updates and reads a policy, and branches on the body-less 404 of /jobs', async () => {
    const before = mock!.store.policyCount;
    const result = await tryTheMock(mock!.url, 'dev-token');
    expect(result.policies).toBe(before);
    expect(result.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(mock!.store.policy(result.id)).toMatchObject({
      heartbeatTime: 60,
      resource: 'namespace',
      resourceIds: ['c7bc5ebe-67ea-483f-b8c3-6682a03be96d'],
    });
    expect(result.pods).toBe(mock!.store.data.pods.filter((p) => p.namespaceId === 'c7bc5ebe-67ea-483f-b8c3-6682a03be96d').length);
    expect(result.pods).toBeGreaterThan(0);
    expect(result.affected).toBeNull();
    expect(result.lastSync).toBeNull();
  });

  it('needs parseAs: text for create, as the README says: without it openapi-fetch throws, and the policy exists anyway', async () => {
    const api = createClient<paths>({ baseUrl: mock!.url, headers: { Authorization: 'Bearer dev-token' } });
    const before = mock!.store.policyCount;
    const body = {
      cluster_id: '4247584f-b16a-42f7-8cc5-69c34a72638d',
      heartbeat_time: 300,
      resource: 'namespace' as const,
      resource_ids: ['c7bc5ebe-67ea-483f-b8c3-6682a03be96d'],
    };
    await expect(api.POST('/v2/policy/create', { body })).rejects.toThrow(SyntaxError);
    expect(mock!.store.policyCount).toBe(before + 1);
  });
});
