// The CLI as a user meets it: a real process, its banner, its flags, its signals and its --db file.
// Every process listens on a free port (--port 0) on loopback and is killed when its test ends.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, type TestContext } from 'vitest';
import { killAll, parseCurl, REPO_ROOT, runCli, startCli, type CliProcess, type RunningMock } from '../helpers/spawn-mock.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const fixture = (path: string): Json => JSON.parse(readFileSync(join(REPO_ROOT, 'fixtures', path), 'utf8')) as Json;
const SEED_DATA = fixture('seed-data.json') as { meta: { seed: number; sizes: Record<string, number> } };
const CREATE_NAMESPACE = fixture('requests/valid/create-namespace.json') as {
  cluster_id: string;
  heartbeat_time: number;
  resource: string;
  resource_ids: string[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STACK_LINE = /^ {4}at /m;
const LOOPBACK_URL = /^http:\/\/127\.0\.0\.1:\d+$/;

// Generous: other work on a loaded 2-core machine can make a start take many times its ~1.5 s.
// START_TIMEOUT counts from the spawn; a test's own timeout also covers its wait for a start slot
// (the helper starts no more processes at once than there are cores).
const START_TIMEOUT = 30_000;
const TEST_TIMEOUT = 120_000;

// Each start costs ~1.5 s of CPU, so the processes that tests only read from (GET requests, no
// signals) are shared: started on first use, killed in afterAll.
const SHARED = {
  /** Default flags: the default seed, any bearer token. */
  default: ['--port', '0'],
  /** The default seed again, given explicitly, with auth off. */
  noAuth: ['--port', '0', '--seed', String(SEED_DATA.meta.seed), '--no-auth'],
  /** Another seed, same sizes, one token. */
  token: ['--port', '0', '--seed', String(SEED_DATA.meta.seed + 1), '--token', 's3cret-T'],
} as const;
const sharedMocks = new Map<keyof typeof SHARED, Promise<RunningMock>>();
function shared(name: keyof typeof SHARED): Promise<RunningMock> {
  let mock = sharedMocks.get(name);
  if (!mock) sharedMocks.set(name, (mock = startCli(SHARED[name], { timeoutMs: START_TIMEOUT })));
  return mock;
}

const tempDirs = new Set<string>();
afterAll(async () => {
  await Promise.all([...sharedMocks.values()].map((mock) => mock.then(kill, () => undefined)));
  await killAll();
  await Promise.all([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temp dir that is removed when the test ends, pass or fail. */
async function tempDir(ctx: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cedana-cli-test-'));
  tempDirs.add(dir);
  ctx.onTestFinished(async () => {
    await rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  });
  return dir;
}

/** Starts the CLI and makes sure it is dead when the test ends, pass or fail. */
async function start(ctx: TestContext, args: string[]): Promise<RunningMock> {
  const mock = await startCli(args, { timeoutMs: START_TIMEOUT });
  ctx.onTestFinished(() => kill(mock));
  return mock;
}

async function kill(proc: CliProcess): Promise<void> {
  await proc.stop('SIGKILL', 5_000).catch(() => undefined);
}

async function getJson(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, body: parse(text) };
}

function parse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** stderr as a person reads it: its non-blank lines. */
const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');

/**
 * A CLI that refused to start: exited by itself, non-zero, said why without a stack trace, and
 * never got as far as listening. Returns the report for further assertions and stderr's lines.
 */
function expectRefusedToStart(expect: TestContext['expect'], result: Awaited<ReturnType<typeof runCli>>) {
  const report = `exit ${JSON.stringify({ code: result.code, signal: result.signal })}\nstderr:\n${result.stderr}`;
  expect(result.signal, report).toBeNull();
  expect(result.code, report).not.toBe(0);
  expect(result.code, report).not.toBeNull();
  expect(result.stderr, report).not.toMatch(STACK_LINE);
  expect(result.stdout).not.toContain('listening on');
  return { report, errorLines: lines(result.stderr) };
}

function expectApiError(expect: TestContext['expect'], response: Awaited<ReturnType<typeof getJson>>, status: number) {
  expect(response.status, response.text).toBe(status);
  expect(response.contentType).toMatch(/^application\/json/);
  expect(response.body).toEqual({ message: expect.any(String), code: String(status), details: expect.any(Array) });
  expect((response.body as { message: string }).message.length).toBeGreaterThan(0);
}

describe.concurrent('cedana-policy-mock CLI', { timeout: TEST_TIMEOUT }, () => {
  describe('started with --port 0 and default flags', () => {
    it('prints the URL, the seed, the data sizes and a curl line', async ({ expect }) => {
      const { banner } = await shared('default');
      expect(banner.url).toMatch(LOOPBACK_URL);
      expect(banner.port).toBeGreaterThan(0);
      expect(banner.port).toBeLessThan(65536);
      // The defaults are the committed fixture's seed and sizes.
      expect(banner.seed).toBe(SEED_DATA.meta.seed);
      expect(banner.sizes).toEqual(SEED_DATA.meta.sizes);
      expect(banner.storage).toBe('in memory');
      expect(banner.curl).toContain(`${banner.url}/v2/policy/list`);
    });

    it('the printed curl line works as printed: 200 and the JSON list of policies', async ({ expect }) => {
      const mock = await shared('default');
      const request = parseCurl(mock.banner.curl);
      expect(request.method).toBe('GET');
      expect(request.url).toBe(`${mock.banner.url}/v2/policy/list`);
      expect(request.headers.Authorization).toMatch(/^Bearer \S+$/);

      const list = await getJson(request.url, request.headers);
      expect(list.status, list.text).toBe(200);
      expect(list.contentType).toMatch(/^application\/json/);
      expect(Array.isArray(list.body)).toBe(true);
      expect(list.body).toHaveLength(mock.banner.sizes.policies);
      for (const policy of list.body as { id: string; status: string }[]) {
        expect(policy.id).toMatch(UUID);
        expect(policy.status).toBe('active');
      }
    });

    it('by default accepts any bearer token and answers 401 ApiError without one', async ({ expect }) => {
      const mock = await shared('default');
      const url = `${mock.banner.url}/v2/policy/list`;
      expect((await getJson(url, { Authorization: 'Bearer any-other-token' })).status).toBe(200);
      expectApiError(expect, await getJson(url), 401);
      expectApiError(expect, await getJson(url, { Authorization: 'Bearer' }), 401);
      expectApiError(expect, await getJson(url, { Authorization: 'Basic dXNlcjpwdw==' }), 401);
    });

    it('GET /__admin/health answers 200, without auth', async ({ expect }) => {
      const mock = await shared('default');
      const health = await getJson(`${mock.banner.url}/__admin/health`);
      expect(health.status, health.text).toBe(200);
      expect(health.contentType).toMatch(/^application\/json/);
    });
  });

  it('--token T: the curl line reads T from $TOKEN (T is printed nowhere), T is accepted, any other token or none gets 401 ApiError', async ({
    expect,
  }) => {
    const mock = await shared('token');
    expect(mock.stdout()).not.toContain('s3cret-T');
    expect(mock.banner.curl).toContain('"Authorization: Bearer $TOKEN"');
    const request = parseCurl(mock.banner.curl, { TOKEN: 's3cret-T' });
    expect(request.headers).toEqual({ Authorization: 'Bearer s3cret-T' });
    expect(request.url).toBe(`${mock.banner.url}/v2/policy/list`);

    const ok = await getJson(request.url, request.headers);
    expect(ok.status, ok.text).toBe(200);
    expect(Array.isArray(ok.body)).toBe(true);

    expectApiError(expect, await getJson(request.url, { Authorization: 'Bearer not-T' }), 401);
    expectApiError(expect, await getJson(request.url, { Authorization: 'Bearer s3cret-T-and-more' }), 401);
    expectApiError(expect, await getJson(request.url), 401);
  });

  it('--no-auth: the curl line has no header and requests without one are served', async ({ expect }) => {
    const mock = await shared('noAuth');
    const request = parseCurl(mock.banner.curl);
    expect(request.headers).toEqual({});
    expect(request.url).toBe(`${mock.banner.url}/v2/policy/list`);

    const list = await getJson(request.url);
    expect(list.status, list.text).toBe(200);
    expect(list.contentType).toMatch(/^application\/json/);
    expect(Array.isArray(list.body)).toBe(true);
    expect((await getJson(request.url, { Authorization: 'nonsense' })).status).toBe(200);
  });

  it('--seed and the size flags shape the data; Ctrl-C (SIGINT) exits 0', async (ctx) => {
    const { expect } = ctx;
    const mock = await start(ctx, ['--port', '0', '--seed', '7', '--pods', '10', '--jobs', '2', '--namespaces', '2', '--policies', '2']);
    expect(mock.banner.seed).toBe(7);
    expect(mock.banner.sizes).toEqual({ clusters: 1, namespaces: 2, pods: 10, jobs: 2, policies: 2 });

    // The API serves that data, not the default's.
    const list = await getJson(`${mock.banner.url}/v2/policy/list`, { Authorization: 'Bearer t' });
    expect(list.status, list.text).toBe(200);
    const policies = list.body as { pod_count: number; job_count: number | null }[];
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.pod_count).toBeLessThanOrEqual(10);
      if (policy.job_count !== null) expect(policy.job_count).toBeLessThanOrEqual(2);
    }

    const exit = await mock.stop('SIGINT');
    expect(exit, mock.stderr()).toEqual({ code: 0, signal: null });
    expect(mock.stderr()).not.toMatch(STACK_LINE);
  });

  it('the same seed gives identical responses in two processes; another seed does not', async ({ expect }) => {
    // default and noAuth run the same seed (implicit, explicit); token runs the next seed. Auth
    // decides who may read, never what the data is.
    const [a, b, c] = await Promise.all([shared('default'), shared('noAuth'), shared('token')]);
    expect(b.banner.seed).toBe(a.banner.seed);
    expect(b.banner.sizes).toEqual(a.banner.sizes);
    expect(c.banner.seed).not.toBe(a.banner.seed);
    expect(c.banner.sizes).toEqual(a.banner.sizes);
    expect(new Set([a.child.pid, b.child.pid, c.child.pid]).size).toBe(3);

    const list = async (mock: RunningMock, headers: Record<string, string>) => {
      const res = await getJson(`${mock.banner.url}/v2/policy/list`, headers);
      expect(res.status, res.text).toBe(200);
      return res.text;
    };
    const [listA, listB, listC] = await Promise.all([
      list(a, { Authorization: 'Bearer t' }),
      list(b, {}),
      list(c, { Authorization: 'Bearer s3cret-T' }),
    ]);
    expect(JSON.parse(listA)).toHaveLength(SEED_DATA.meta.sizes.policies ?? Number.NaN);
    expect(listB).toBe(listA);
    expect(listC).not.toBe(listA);
  });

  describe('a bad flag is a short error and a non-zero exit, never a stack trace', () => {
    it.for<{ name: string; args: string[]; env: Record<string, string>; mentions: string[] }>([
      { name: 'unknown option', args: ['--bogus'], env: {}, mentions: ['--bogus'] },
      { name: 'non-numeric size', args: ['--pods', 'abc'], env: {}, mentions: ['--pods', 'abc'] },
      { name: 'port out of range', args: ['--port', '70000'], env: {}, mentions: ['--port', '70000'] },
      { name: 'non-numeric PORT in the environment', args: [], env: { PORT: 'abc' }, mentions: ['PORT', 'abc'] },
    ])('$name', async ({ args, env, mentions }, { expect }) => {
      const result = await runCli(args, { env, timeoutMs: START_TIMEOUT });
      const { report, errorLines } = expectRefusedToStart(expect, result);
      expect(errorLines.length, report).toBeGreaterThanOrEqual(1);
      expect(errorLines.length, report).toBeLessThanOrEqual(2); // the error, and at most a "see --help" hint
      for (const word of mentions) expect(errorLines[0], report).toContain(word);
    });
  });

  it('a port already in use is a one-line error and a non-zero exit', async ({ expect }) => {
    const blocker: Server = createServer();
    await new Promise<void>((done, fail) => {
      blocker.once('error', fail);
      blocker.listen(0, '127.0.0.1', done);
    });
    try {
      const address = blocker.address();
      if (address === null || typeof address === 'string') throw new Error('blocker has no port');
      const result = await runCli(['--port', String(address.port), '--host', '127.0.0.1'], { timeoutMs: START_TIMEOUT });
      const { report, errorLines } = expectRefusedToStart(expect, result);
      expect(errorLines, report).toHaveLength(1);
      expect(result.stderr, report).toContain(String(address.port));
      expect(result.stderr, report).toMatch(/in use/i);
    } finally {
      await new Promise<void>((done) => blocker.close(() => done()));
    }
  });

  describe('--db FILE', () => {
    it.for([
      { name: 'corrupt JSON', content: '{bad' },
      { name: 'JSON that is not a store', content: '[1,2]' },
    ])('refuses a file holding $name: one line naming it, non-zero exit, file untouched', async ({ content }, ctx) => {
      const { expect } = ctx;
      const dir = await tempDir(ctx);
      const file = join(dir, 'store.json');
      await writeFile(file, content);
      const before = await stat(file);

      const result = await runCli(['--port', '0', '--db', file], { timeoutMs: START_TIMEOUT });
      const { report, errorLines } = expectRefusedToStart(expect, result);
      expect(errorLines, report).toHaveLength(1);
      expect(result.stderr, report).toContain(file);

      expect(await readFile(file, 'utf8')).toBe(content);
      expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
      expect(await readdir(dir)).toEqual(['store.json']); // no temp file left behind either
    });

    it('creates the missing folders of a --db path, and docs/flags.md says so (and not that they are an error)', async (ctx) => {
      const { expect } = ctx;
      const file = join(await tempDir(ctx), 'not', 'yet', 'store.json');
      const mock = await start(ctx, ['--port', '0', '--seed', String(SEED_DATA.meta.seed), '--db', file]);
      expect(mock.banner.storage).toBe(`stored in ${file}`);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(SEED_DATA);

      const flags = readFileSync(join(REPO_ROOT, 'docs', 'flags.md'), 'utf8');
      expect(flags).toContain('created from the seed if missing (its folders too)');
      // No sentence (or clause) may list a missing folder among the start-up errors.
      const sentences = flags.split(/(?<=[.:;])\s/).filter((s) => /folder/i.test(s) && /(error|refus)/i.test(s));
      expect(sentences.filter((s) => /(does not exist|missing)/i.test(s))).toEqual([]);
    });

    it('refuses a --db path under a file with one line naming it', async (ctx) => {
      const { expect } = ctx;
      const dir = await tempDir(ctx);
      await writeFile(join(dir, 'plain'), '');
      const file = join(dir, 'plain', 'store.json');
      const result = await runCli(['--port', '0', '--db', file], { timeoutMs: START_TIMEOUT });
      const { report, errorLines } = expectRefusedToStart(expect, result);
      expect(errorLines, report).toHaveLength(1);
      expect(result.stderr, report).toContain(file);
    });

    it(
      'creates a missing file from the seed, persists a created policy through SIGTERM, and reopens it exactly',
      async (ctx) => {
        const { expect } = ctx;
        const dir = await tempDir(ctx);
        const file = join(dir, 'store.json');
        const args = ['--port', '0', '--seed', String(SEED_DATA.meta.seed), '--db', file];

        // 1. A missing file is created from the seed.
        const first = await start(ctx, args);
        expect(first.banner.storage).toBe(`stored in ${file}`);
        expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(SEED_DATA);

        // 2. A policy created through the API is on disk once acknowledged: in the log beside the file.
        const created = await fetch(`${first.banner.url}/v2/policy/create`, {
          method: 'POST',
          headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
          body: JSON.stringify(CREATE_NAMESPACE),
        });
        const id = (await created.text()).trim();
        expect(created.status, id).toBe(200);
        expect(id).toMatch(UUID);
        const storedPolicy = (text: string) => {
          const data = JSON.parse(text) as { policies: { id: string; clusterId: string; resourceIds: string[]; heartbeatTime: number }[] };
          return data.policies.find((p) => p.id === id);
        };
        expect(await readFile(`${file}.log`, 'utf8')).toContain(id);

        // 3. SIGTERM: a clean exit, and the file is whole and holds the policy.
        const firstExit = await first.stop('SIGTERM');
        expect(firstExit, first.stderr()).toEqual({ code: 0, signal: null });
        expect(first.stderr()).not.toMatch(STACK_LINE);
        const afterFirst = await readFile(file, 'utf8');
        expect(storedPolicy(afterFirst)).toMatchObject({
          clusterId: CREATE_NAMESPACE.cluster_id,
          resourceIds: CREATE_NAMESPACE.resource_ids,
          heartbeatTime: CREATE_NAMESPACE.heartbeat_time,
        });

        // 4. Restart on the same file: the API serves what the file holds.
        const second = await start(ctx, args);
        const stored = JSON.parse(afterFirst) as { policies: { id: string }[]; pods: unknown[] };
        expect(second.banner.sizes.policies).toBe(stored.policies.length);
        expect(second.banner.sizes.policies).toBe((SEED_DATA.meta.sizes.policies ?? Number.NaN) + 1);
        expect(second.banner.sizes.pods).toBe(stored.pods.length);
        const list = await getJson(`${second.banner.url}/v2/policy/list`, { Authorization: 'Bearer t' });
        expect(list.status, list.text).toBe(200);
        const served = list.body as { id: string; input: number; resource_list: string[] }[];
        expect(served.map((p) => p.id)).toEqual(stored.policies.map((p) => p.id));
        expect(served.find((p) => p.id === id)).toMatchObject({
          input: CREATE_NAMESPACE.heartbeat_time,
          resource_list: CREATE_NAMESPACE.resource_ids,
        });

        // 5. A clean shutdown with no change in between writes back exactly the same bytes.
        const secondExit = await second.stop('SIGTERM');
        expect(secondExit, second.stderr()).toEqual({ code: 0, signal: null });
        expect(await readFile(file, 'utf8')).toBe(afterFirst);
        expect(await readdir(dir)).toEqual(['store.json']);
      },
      2 * TEST_TIMEOUT,
    );
  });
});
