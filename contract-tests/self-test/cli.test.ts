import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { runNode } from './run-node.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

const run = runNode;

describe('the CLI, the bin entry and the vitest suite', { timeout: 90_000 }, () => {
  let dir: string;
  let correct: ReferenceServer;
  // One broken server per run that writes to it: two runs on one server see each other's policies.
  let broken: ReferenceServer;
  let brokenForVitest: ReferenceServer;
  let profile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-cli-'));
    profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify(REFERENCE_PROFILE));
    correct = await startReferenceServer({ token: REFERENCE_TOKEN });
    broken = await startReferenceServer({ fault: 'update_ignored', token: REFERENCE_TOKEN });
    brokenForVitest = await startReferenceServer({ fault: 'update_ignored', token: REFERENCE_TOKEN });
  });
  afterAll(async () => {
    await Promise.all([correct.close(), broken.close(), brokenForVitest.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const flags = (url: string, junit: string) => [
    '--base-url',
    url,
    '--profile',
    profile,
    '--token',
    REFERENCE_TOKEN,
    '--expect-auth',
    '--fuzz-runs',
    '5',
    '--junit',
    junit,
  ];

  it.concurrent('exits 0 on a conforming target, printing the table and writing JUnit', async () => {
    const junit = join(dir, 'pass.xml');
    const { code, stdout } = await run(['--import', 'tsx', 'contract-tests/cli.ts', ...flags(correct.url, junit)]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^lifecycle\s+pass/m);
    expect(stdout).toMatch(/seed 424242 \(CONTRACT_SEED\)/);
    expect(stdout).toContain('CONFORMS');
    const xml = readFileSync(junit, 'utf8');
    expect(xml.match(/<testcase /g)).toHaveLength(14);
    expect(xml).not.toContain('<failure');
  });

  it.concurrent('the bin entry exits 1 on a broken target, naming the rule in output and JUnit', async () => {
    const junit = join(dir, 'fail.xml');
    const { code, stdout } = await run(['--import', 'tsx', 'contract-tests/bin/policy-contract.ts', ...flags(broken.url, junit)]);
    expect(code).toBe(1);
    expect(stdout).toContain('✗ lifecycle · policy_update');
    expect(stdout).toContain('DOES NOT CONFORM (positive_data_acceptance, lifecycle, model_conformance)');
    expect(readFileSync(junit, 'utf8')).toMatch(
      /<testcase classname="contract" name="lifecycle" time="[0-9.]+">\s*<failure message="policy_update: expected .* · actual 200, /,
    );
  });

  it.concurrent('exits 2 with a one-line reason on a bad profile or an unreachable target', async () => {
    const badProfile = join(dir, 'bad.json');
    writeFileSync(badProfile, JSON.stringify({ clusterId: 'nope' }));
    const bad = await run(['--import', 'tsx', 'contract-tests/cli.ts', '--base-url', correct.url, '--profile', badProfile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^contract: invalid profile .*clusterId must be a UUID/);
    const down = await run(['--import', 'tsx', 'contract-tests/cli.ts', '--base-url', 'http://127.0.0.1:1', '--profile', profile]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^contract: cannot reach http:\/\/127\.0\.0\.1:1/);
  });

  it.concurrent('exits 2 when the target never answers within --wait-for-target', async () => {
    const never = await run([
      '--import',
      'tsx',
      'contract-tests/cli.ts',
      '--profile',
      profile,
      '--base-url',
      'http://127.0.0.1:9',
      '--wait-for-target',
      '0.5',
    ]);
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/^contract: no answer from http:\/\/127\.0\.0\.1:9 within 0\.5 s \(--wait-for-target\)/);
  });

  it.concurrent('npm run test:contract (vitest) exits 2 on a set-up problem, as the CLI does, with a one-line reason', async () => {
    const { code, stderr } = await run(['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.contract.config.ts'], {
      CONTRACT_BASE_URL: 'http://127.0.0.1:9',
      CONTRACT_PROFILE: profile,
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^contract: cannot reach http:\/\/127\.0\.0\.1:9/m);
  });

  it.concurrent("npm run test:contract (vitest) fails a broken target rule by rule, with the suite's JUnit report", async () => {
    const junit = join(dir, 'vitest.xml');
    const { code } = await run(['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.contract.config.ts'], {
      CONTRACT_BASE_URL: brokenForVitest.url,
      CONTRACT_PROFILE: profile,
      CONTRACT_TOKEN: REFERENCE_TOKEN,
      CONTRACT_FUZZ_RUNS: '5',
      CONTRACT_JUNIT: junit,
    });
    expect(code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    // The same test names and format as the CLI's (junit-routes.test.ts compares them whole).
    expect(xml).toMatch(
      /<testcase classname="contract" name="lifecycle" time="[0-9.]+">\s*<failure message="policy_update: expected after update/,
    );
    expect(xml).toMatch(/<testcase classname="contract" name="unknown_id" time="[0-9.]+"><\/testcase>/);
  });
});
