import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRuleFailures } from '../report/console-report.js';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';
import { REPO_ROOT, runNode } from './run-node.js';

// Inside the repository (git-ignored), so the saved file finds vitest and the suite as a user's project would.
mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(REPO_ROOT, '.tmp', 'model-regression-'));
const servers: ReferenceServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const replay = (baseUrl: string) =>
  runNode(['node_modules/vitest/vitest.mjs', 'run', '--config', join(dir, 'vitest.config.mjs')], {
    CONTRACT_BASE_URL: baseUrl,
    CONTRACT_TOKEN: REFERENCE_TOKEN,
  });

describe('--save-failures: the shrunk sequence as a vitest regression test', { timeout: 120_000 }, () => {
  it('prints the shortest failing sequence as curl lines, and saves a test that fails on the faulty server and passes on a correct one', async () => {
    const faulty = await startReferenceServer({ fault: 'job_count_zero_for_non_jobs', token: REFERENCE_TOKEN });
    const correct = await startReferenceServer({ token: REFERENCE_TOKEN });
    servers.push(faulty, correct);
    const report = await runAllRules({
      baseUrl: faulty.url,
      token: REFERENCE_TOKEN,
      profile: REFERENCE_PROFILE,
      expectAuth: true,
      fuzzRuns: 0,
      seed: 424242,
      rules: ['model_conformance'],
      saveFailuresDir: dir,
    });
    expect(report.failedRules).toEqual(['model_conformance']);
    const text = renderRuleFailures(report.results.find((r) => r.rule === 'model_conformance')!);
    expect(text).toContain('list job_count is null for a policy that is not a jobs policy');
    expect(text).toMatch(/shortest failing sequence: 2 step\(s\)/);
    expect(text).toMatch(/^ {2}1\. create .* → 200\n {5}curl -i -X POST .*-H "Authorization: Bearer \$CONTRACT_TOKEN"/m);
    expect(text).toMatch(/^ {2}2\. list → 200$/m);
    expect(text).not.toContain(REFERENCE_TOKEN);
    expect(faulty.policyIds()).toEqual([]);
    const saved = readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
    expect(saved).toHaveLength(1);
    expect(text).toContain(`saved as a regression test: ${join(dir, saved[0] ?? '')}`);

    const onFaulty = await replay(faulty.url);
    expect(onFaulty.code, onFaulty.stdout + onFaulty.stderr).toBe(1);
    expect(onFaulty.stdout + onFaulty.stderr).toContain('list job_count is null for a policy that is not a jobs policy');
    const onCorrect = await replay(correct.url);
    expect(onCorrect.code, onCorrect.stdout + onCorrect.stderr).toBe(0);
    expect(faulty.policyIds()).toEqual([]);
    expect(correct.policyIds()).toEqual([]);
  });
});
