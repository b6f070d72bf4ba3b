import type { paths } from 'cedana-policy-mock';
import spec from 'cedana-policy-mock/openapi.json' with { type: 'json' };
import createClient from 'openapi-fetch';
import { expect, it } from 'vitest';

it('exports the spec and its generated types, for openapi-fetch with no path into node_modules', async () => {
  expect(spec.info.title).toBeTypeOf('string');
  expect(Object.keys(spec.paths)).toContain('/v2/policy/list');
  const api = createClient<paths>({ baseUrl: process.env.CEDANA_MOCK_URL, headers: { Authorization: 'Bearer dev-token' } });
  const { data = [] } = await api.GET('/v2/policy/list');
  expect(data.map((policy) => policy.id)).toHaveLength(3);
});
