import { runContract } from 'cedana-policy-mock/contract';
import { expect, test } from 'vitest';

test('our service keeps the Policy API contract', async () => {
  const result = await runContract({
    baseUrl: process.env.API_URL ?? 'http://127.0.0.1:8080',
    token: process.env.CONTRACT_TOKEN ?? 'dev-token',
    profile: process.env.CONTRACT_PROFILE, // a file path; absent: the profile of the mock's default seed
    fuzzRuns: 20,
    seed: 424242,
  });
  expect(result.rules.filter((rule) => rule.state === 'failed').flatMap((rule) => rule.failures.map((f) => f.text))).toEqual([]);
  expect(result.verdict).toBe('conforms');
}, 120_000);
