// The integrations as a user installs them: the packed package in an empty project, with the
// user's test runners (symlinked from this repo's dev dependencies), running test/package/user-app:
// a vitest suite on the admin client (globalSetup + a session per test), one on the msw handlers,
// the README's library examples, and a Playwright project on Debian's Chromium. Each has tests in
// parallel sessions where one forces faults and the others must stay untouched.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedApp } from '../helpers/packed-app.js';
import { killCommands, runCommand, startCommand, userEnv } from '../helpers/spawn-command.js';
import { REPO_ROOT } from '../helpers/spawn-mock.js';
import { CHROMIUM_PATH } from '../../scripts/docs-harness.js';

const USER_APP = join(REPO_ROOT, 'test/package/user-app');
const DEV_TOOLS = ['vitest', 'msw', '@playwright/test', 'typescript', '@types/node', 'openapi-fetch'];

let work: string;
let app: string;

beforeAll(async () => {
  ({ work, app } = await packedApp('cedana-integrations-'));
  cpSync(USER_APP, app, { recursive: true });
  for (const tool of DEV_TOOLS) {
    const target = join(app, 'node_modules', tool);
    // Some come with the package's own dependencies (@types/node): the user's project has them then.
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', tool), target, 'dir');
  }
}, 300_000);

afterAll(() => {
  killCommands();
  if (work) rmSync(work, { recursive: true, force: true });
});

const node = (args: string[], env: Record<string, string> = {}, timeoutMs = 150_000) =>
  runCommand(process.execPath, args, { cwd: app, timeoutMs, env: userEnv(env) });

/** Counts from a JSON report: what ran, what passed, what failed. */
const counts = (report: { numTotalTests: number; numPassedTests: number; numFailedTests: number }) => ({
  total: report.numTotalTests,
  passed: report.numPassedTests,
  failed: report.numFailedTests,
});

describe('the integrations, from the packed package', { timeout: 200_000 }, () => {
  it('the README and docs/ pages show each user-app file they name word for word', () => {
    const readme = [
      'README.md',
      ...readdirSync(join(REPO_ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ]
      .map((page) => readFileSync(join(REPO_ROOT, page), 'utf8'))
      .join('\n');
    const shown = [...readme.matchAll(/<!-- checked: test\/package\/user-app\/([\w.-]+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(shown.map((m) => m[1]).sort()).toEqual(
      [
        'admin-client.check.ts',
        'global-setup.ts',
        'msw.check.ts',
        'readme-contract.check.ts',
        'readme-library.check.ts',
        'sessions.pw.ts',
      ].sort(),
    );
    for (const [, file, block] of shown) expect(block, file).toBe(readFileSync(join(USER_APP, file!), 'utf8'));
  });

  it('the user project type-checks against the package’s own .d.ts (strict, nodenext)', async () => {
    const tsc = await node([join(app, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(tsc.code, `${tsc.stdout}\n${tsc.stderr}`).toBe(0);
  });

  it('vitest: the admin-client, msw and README suites pass, concurrently, faults kept to their sessions', async () => {
    // The contract example judges "your service": here, the installed mock's bin.
    const served = startCommand(join(app, 'node_modules/.bin/cedana-policy-mock'), ['--port', '0'], { cwd: app });
    const url = (await served.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1] ?? '';
    const run = await node([join(app, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', '--outputFile=vitest.json'], {
      API_URL: url,
    });
    served.child.kill('SIGTERM');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(join(app, 'vitest.json'), 'utf8'));
    expect(counts(report)).toEqual({ total: 9, passed: 9, failed: 0 });
  });

  it('Playwright: two workers, a fresh session per test; one forces a 500, the others see 200s', async () => {
    expect(existsSync(CHROMIUM_PATH), `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`).toBe(true);
    const run = await node([join(app, 'node_modules/@playwright/test/cli.js'), 'test', '--reporter=json'], { CHROMIUM_PATH });
    expect(run.code, `${run.stdout.slice(-4000)}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.stats).toMatchObject({ expected: 4, unexpected: 0, flaky: 0, skipped: 0 });
  });
});
