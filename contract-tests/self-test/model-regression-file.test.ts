import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderRuleFailures } from '../report/console-report.js';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';
import { REPO_ROOT, runCli, runNode } from './run-node.js';

// Inside the repository (git-ignored), so the saved test finds vitest as a user's project would.
mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(REPO_ROOT, '.tmp', 'model-regression-'));
const servers: ReferenceServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

// The saved test imports the package by its name; here the name maps to this source tree, as an
// install maps it to node_modules (test/package/pack.test.ts runs it against the packed package).
const ALIAS_CONFIG = `import { fileURLToPath } from 'node:url';
export default {
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { 'cedana-policy-mock/contract': ${JSON.stringify(join(REPO_ROOT, 'contract-tests/index.ts'))} } },
  test: { include: ['*.test.ts'], testTimeout: 120000 },
};
`;

const viaVitest = (baseUrl: string) =>
  runNode(['node_modules/vitest/vitest.mjs', 'run', '--config', join(dir, 'alias.config.mjs')], {
    CONTRACT_BASE_URL: baseUrl,
    CONTRACT_TOKEN: REFERENCE_TOKEN,
  });

describe('--save-failures: each shrunk sequence as JSON (replay) and a vitest test', { timeout: 120_000 }, () => {
  it('prints the shortest failing sequence as curl lines, and saves a failure that replays as failing on the faulty server and fixed on a correct one', async () => {
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
    const saved = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(saved).toHaveLength(1);
    const json = join(dir, saved[0] ?? '');
    expect(text).toContain(`saved as ${json} (replay: npx cedana-policy-contract replay ${json}`);

    // The vitest file imports the package by its name, never a path into node_modules or this repo.
    const testFile = readFileSync(json.replace(/\.json$/, '.test.ts'), 'utf8');
    expect(testFile).toMatch(/^import \{ replaySavedFailure \} from "cedana-policy-mock\/contract";$/m);
    expect(testFile).not.toMatch(/node_modules|contract-tests/);

    // Without vitest: each step with its curl line, then the verdict; exit 1 while it still fails.
    const onFaulty = await runCli(['replay', json, '--base-url', faulty.url, '--token', REFERENCE_TOKEN]);
    expect(onFaulty.code, onFaulty.stderr).toBe(1);
    expect(onFaulty.stdout).toMatch(/^ {2}1\. create .* → 200\n {5}curl -i -X POST /m);
    expect(onFaulty.stdout).toContain('✗ at step 2: list job_count is null for a policy that is not a jobs policy');
    expect(onFaulty.stdout).toMatch(/still fails\n$/);
    expect(onFaulty.stdout + onFaulty.stderr).not.toContain(REFERENCE_TOKEN);
    const onCorrect = await runCli(['replay', json, '--base-url', correct.url, '--token', REFERENCE_TOKEN]);
    expect(onCorrect.code, onCorrect.stderr).toBe(0);
    expect(onCorrect.stdout).toMatch(/^ {2}2\. list → 200$/m);
    expect(onCorrect.stdout).toContain('✓ fixed: the sequence of 2 step(s) holds');

    // The vitest route, from the same file.
    writeFileSync(join(dir, 'alias.config.mjs'), ALIAS_CONFIG);
    const vitestFaulty = await viaVitest(faulty.url);
    expect(vitestFaulty.code, vitestFaulty.stdout + vitestFaulty.stderr).toBe(1);
    expect(vitestFaulty.stdout + vitestFaulty.stderr).toContain('list job_count is null for a policy that is not a jobs policy');
    const vitestCorrect = await viaVitest(correct.url);
    expect(vitestCorrect.code, vitestCorrect.stdout + vitestCorrect.stderr).toBe(0);
    expect(faulty.policyIds()).toEqual([]);
    expect(correct.policyIds()).toEqual([]);
  });

  it('replay exits 2 with one line for a file that is not a saved failure', async () => {
    const other = join(dir, 'not-a-failure.json');
    writeFileSync(other, '{"steps": []}');
    const run = await runCli(['replay', other, '--base-url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`contract: ${other} is not a saved failure of this suite (format cedana-policy-contract/saved-failure@1)\n`);
  });
});
