// The package as a new user gets it: `npm pack` of a fresh copy of the repo, installed without dev
// dependencies into an empty folder, then both bins and both library entry points from there.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/spawn-mock.js';
import { killCommands, runCommand, startCommand, type Command } from '../helpers/spawn-command.js';

const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'coverage', 'reports', '.tmp']);
const TOKEN = 'pack-test-token';

let work: string;
let app: string;
let mock: Command;
let url: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cedana-pack-'));
  // A clean copy stands in for a fresh clone: no dist/ left from earlier builds, no stray tarballs.
  const clone = join(work, 'clone');
  cpSync(REPO_ROOT, clone, {
    recursive: true,
    filter: (source) => {
      const path = relative(REPO_ROOT, source);
      return !NOT_COPIED.has(path.split(/[\\/]/)[0] ?? '') && !path.endsWith('.tgz');
    },
  });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const pack = await runCommand('npm', ['pack', '--pack-destination', work], { cwd: clone, timeoutMs: 150_000 });
  expect(pack.code, pack.stderr).toBe(0);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack made no tarball:\n${pack.stdout}\n${pack.stderr}`);

  app = join(work, 'app');
  cpSync(join(work, tarball), join(app, tarball));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-test-app', private: true, type: 'module' }));
  // From the npm cache when it holds everything (it does after one online install); else online.
  const install = (mode: string) =>
    runCommand('npm', ['install', mode, '--omit=dev', '--no-audit', '--no-fund', `./${tarball}`], { cwd: app, timeoutMs: 150_000 });
  let installed = await install('--offline');
  if (installed.code !== 0) installed = await install('--prefer-offline');
  expect(installed.code, installed.stderr).toBe(0);

  mock = startCommand(join(app, 'node_modules/.bin/cedana-policy-mock'), ['--port', '0'], { cwd: app });
  url = (await mock.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)\n[\s\S]*try: /, 30_000))[1] ?? '';
}, 300_000);

afterAll(() => {
  killCommands();
  if (work) rmSync(work, { recursive: true, force: true });
});

const bin = (name: string) => join(app, 'node_modules/.bin', name);

describe('the packed package, installed without dev dependencies', { timeout: 120_000 }, () => {
  it('holds only what runs: compiled code, the inspector page, the spec, the default profile', () => {
    const root = join(app, 'node_modules/cedana-policy-mock');
    expect(readdirSync(root).sort()).toEqual(['LICENSE', 'README.md', 'dist', 'fixtures', 'inspector', 'package.json', 'spec']);
    expect(readdirSync(join(root, 'inspector')).sort()).toEqual(['app.js', 'index.html', 'style.css']);
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['contract-tests', 'src']);
    expect(readdirSync(join(root, 'fixtures'))).toEqual(['contract-profile.json']);
    expect(readdirSync(join(root, 'spec'))).toEqual(['openapi.json']);
    const sources = readdirSync(join(root, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => /(?<!\.d)\.ts$|\.test\./.test(f));
    expect(sources).toEqual([]);
    // Nothing that compiles TypeScript at run time came along.
    for (const dev of ['tsx', 'typescript', 'vitest']) expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
  });

  it('cedana-policy-mock serves the seeded API, the spec and the docs page', async () => {
    const list = await fetch(`${url}/v2/policy/list`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as unknown[]).length).toBe(3);
    expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
    const inspector = await fetch(`${url}/__admin/ui/`);
    expect(inspector.status).toBe(200);
    expect(await inspector.text()).toContain('<html');
    const page = await fetch(`${url}/docs/`);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    expect((await fetch(`${url}/docs/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('cedana-policy-contract passes the mock with the default profile, and has --help', async () => {
    const run = await runCommand(bin('cedana-policy-contract'), ['--base-url', url, '--token', TOKEN, '--fuzz-runs', '10'], {
      cwd: app,
      timeoutMs: 90_000,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain(`CONFORMS · ${url}`);
    const help = await runCommand(bin('cedana-policy-contract'), ['--help'], { cwd: app, timeoutMs: 30_000 });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--base-url <url>');
    expect(help.stdout).toContain('--wait-for-target');
  });

  it('both library entry points import and work from a plain .mjs script', async () => {
    writeFileSync(
      join(app, 'library.mjs'),
      `import { createApp, startServer } from 'cedana-policy-mock';
import { runContract, RULE_IDS } from 'cedana-policy-mock/contract';
const server = await startServer({ port: 0 });
const result = await runContract({ baseUrl: server.url, token: 't', fuzzRuns: 5, seed: 1 });
await server.close();
console.log(JSON.stringify({ createApp: typeof createApp, verdict: result.verdict, exitCode: result.exitCode, rules: result.rules.length, all: RULE_IDS.length }));
`,
    );
    const run = await runCommand(process.execPath, ['library.mjs'], { cwd: app, timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ createApp: 'function', verdict: 'conforms', exitCode: 0, rules: 13, all: 13 });
  });

  it('cedana-policy-mock stops cleanly on SIGTERM', async () => {
    mock.child.kill('SIGTERM');
    expect(await mock.exited).toEqual({ code: 0, signal: null });
  });
});
