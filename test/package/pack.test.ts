// The package as a new user gets it (packed, installed without dev dependencies into an empty
// folder): both bins and both library entry points from there.
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packedApp } from '../helpers/packed-app.js';
import { REPO_ROOT } from '../helpers/spawn-mock.js';
import { killCommands, runCommand, startCommand, type Command } from '../helpers/spawn-command.js';

const TOKEN = 'pack-test-token';

let work: string;
let app: string;
let mock: Command;
let url: string;

beforeAll(async () => {
  ({ work, app } = await packedApp('cedana-pack-'));
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
    expect(readdirSync(join(root, 'dist')).sort()).toEqual(['bin', 'contract-tests', 'src']);
    // The mock's bin is the bundled build (start-up): the entry, the CLI, the simulation, what they share.
    expect(realpathSync(bin('cedana-policy-mock'))).toBe(join(root, 'dist/bin/cedana-policy-mock.js'));
    expect(
      readdirSync(join(root, 'dist/bin'))
        .map((f) => f.replace(/-[A-Z0-9]{8}\.js$/, '-HASH.js'))
        .sort(),
    ).toEqual(['cedana-policy-mock.js', 'chunk-HASH.js', 'cli-HASH.js', 'simulation-HASH.js']);
    // The default world is shipped made: a default start loads no faker.
    expect(readdirSync(join(root, 'fixtures')).sort()).toEqual(['contract-profile.json', 'seed-data.json']);
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
    expect(JSON.parse(run.stdout)).toEqual({ createApp: 'function', verdict: 'conforms', exitCode: 0, rules: 14, all: 14 });
  });

  it('npx cedana-policy-contract replay runs a saved failure without vitest, and the saved test imports the package by name', async () => {
    const profile = JSON.parse(
      readFileSync(join(app, 'node_modules/cedana-policy-mock/fixtures/contract-profile.json'), 'utf8'),
    ) as unknown;
    const body = { kind: 'pods', picks: [], duplicate: false, unknownResource: false, filter: 'absent', variant: 'minimal', heartbeat: 1 };
    const steps = [{ op: 'create', body, id: { kind: 'none' } }, { op: 'list' }];
    const saved = {
      format: 'cedana-policy-contract/saved-failure@1',
      rule: 'model_conformance',
      expected: 'x',
      seed: 1,
      expectAuth: true,
      profile,
      steps,
    };
    writeFileSync(join(app, 'saved.json'), JSON.stringify(saved));
    // The mock is correct: the sequence holds (exit 0), each step shown with its curl line, the token masked.
    const run = await runCommand('npx', ['cedana-policy-contract', 'replay', 'saved.json', '--base-url', url, '--token', TOKEN], {
      cwd: app,
      timeoutMs: 60_000,
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/^ {2}1\. create .* → 200\n {5}curl -i -X POST /m);
    expect(run.stdout).toContain('✓ fixed: the sequence of 2 step(s) holds');
    expect(run.stdout).not.toContain(TOKEN);
    // What a saved vitest test imports resolves in a project that installed the package.
    const entry = await runCommand(
      process.execPath,
      ['-e', "import('cedana-policy-mock/contract').then((m) => console.log(typeof m.replaySavedFailure))"],
      {
        cwd: app,
        timeoutMs: 30_000,
      },
    );
    expect(entry.stdout.trim(), entry.stderr).toBe('function');
  });

  it("docs/flags.md's way to run it from a script hands SIGTERM to the mock, which frees its port", async () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs/flags.md'), 'utf8');
    const line = /<!-- checked: the package test[^\n]*-->\n\n\s*```sh\n\s*(.*)\n/.exec(docs)?.[1];
    expect(line).toBe('exec ./node_modules/.bin/cedana-policy-mock --port 4010');
    const script = startCommand('sh', ['-c', line!.replace('--port 4010', '--port 0')], { cwd: app });
    const started = (await script.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)\n[\s\S]*try: /, 30_000))[1];
    expect((await fetch(`http://127.0.0.1:${started}/__admin/health`)).status).toBe(200); // it serves
    script.child.kill('SIGTERM'); // what a supervisor sends to the script's process
    expect(await script.exited, `${script.stdout()}\n${script.stderr()}`).toEqual({ code: 0, signal: null });
    const refused = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: Number(started) });
      socket.once('connect', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(true));
    });
    expect(refused, 'the port is free once the script got SIGTERM').toBe(true);
  });

  it('cedana-policy-mock stops cleanly on SIGTERM', async () => {
    mock.child.kill('SIGTERM');
    expect(await mock.exited).toEqual({ code: 0, signal: null });
  });
});
