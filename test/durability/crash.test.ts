// The --db file through a shutdown and through a crash, with a real process in the middle of a
// storm of writes.
//
// The guarantee ("write-ahead of the ack"): the mock answers a write only after the file holding
// it has been written, atomically (lowdb writes a temp file and renames it over the store), so
// every acknowledged write survives the process dying at any moment, SIGKILL included, and the
// file is always one whole version of the store. (Not fsync'd: a power cut or an OS crash may
// still lose the last writes.)
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, it, type TestContext } from 'vitest';
import { fixtureFolder } from '../helpers/fixtures.js';
import { killAll, startCli, type RunningMock } from '../helpers/spawn-mock.js';

const AUTH = { Authorization: 'Bearer durability' };
const VALID = fixtureFolder<Record<string, unknown>>('requests/valid').map(([, body]) => body);
const START_TIMEOUT = 60_000;
/** A bigger cluster makes each write of the file take long enough to be caught in the middle. */
const SIZES = ['--pods', '5000', '--jobs', '100', '--namespaces', '10'];

afterAll(() => killAll());

async function tempDir(ctx: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cedana-crash-'));
  ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

interface Storm {
  /** Ids of creates answered 200, whenever the answer came (even after the signal). */
  acked: string[];
  /** Requests that got no answer (the process went away under them). */
  cut: number;
  /** Stops sending; resolves once every request in flight has settled. */
  stop(): Promise<void>;
}

/** Creates, `concurrency` at a time, until stopped or the server goes away. */
function storm(url: string, concurrency: number): Storm {
  const state: Storm = { acked: [], cut: 0, stop: async () => {} };
  let running = true;
  let n = 0;
  const worker = async () => {
    while (running) {
      const i = n++;
      try {
        const res = await fetch(`${url}/v2/policy/create`, {
          method: 'POST',
          headers: { ...AUTH, 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...VALID[i % VALID.length], resource_name: `storm-${i}` }),
        });
        const text = (await res.text()).trim();
        if (res.status === 200) state.acked.push(text);
      } catch {
        state.cut++;
        running = false;
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  state.stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return state;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function storedIds(file: string): Promise<Set<string>> {
  const data = JSON.parse(await readFile(file, 'utf8')) as { policies: { id: string }[] };
  return new Set(data.policies.map((p) => p.id));
}

async function start(ctx: TestContext, file: string): Promise<RunningMock> {
  const mock = await startCli(['--port', '0', '--quiet', '--db', file, ...SIZES], { timeoutMs: START_TIMEOUT });
  ctx.onTestFinished(() =>
    mock.stop('SIGKILL').then(
      () => undefined,
      () => undefined,
    ),
  );
  return mock;
}

describe('--db FILE through a shutdown and a crash', () => {
  it('SIGTERM in the middle of a write storm: a clean exit, and the file holds every acknowledged write', async (ctx) => {
    const { expect } = ctx;
    const file = join(await tempDir(ctx), 'store.json');
    const mock = await start(ctx, file);
    const writes = storm(mock.banner.url, 20);
    await waitFor('100 acknowledged creates', () => writes.acked.length >= 100, 60_000);

    const exit = await mock.stop('SIGTERM', 30_000);
    await writes.stop();
    expect(exit, mock.stderr()).toEqual({ code: 0, signal: null });
    const stored = await storedIds(file);
    expect(writes.acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(new Set(writes.acked).size).toBe(writes.acked.length);
  }, 180_000);

  it('SIGKILL in the middle of a write of the file: still a whole store that the mock opens, with every write acknowledged before the kill', async (ctx) => {
    const { expect } = ctx;
    const file = join(await tempDir(ctx), 'store.json');
    // lowdb (steno) writes here first, then renames it over the store.
    const temp = join(dirname(file), `.${basename(file)}.tmp`);
    const mock = await start(ctx, file);
    const writes = storm(mock.banner.url, 20);
    await waitFor('100 acknowledged creates', () => writes.acked.length >= 100, 60_000);
    // Kill while a write of the file is under way (its temp file exists), not between two writes.
    await waitFor('a write of the file in progress', () => existsSync(temp), 30_000);
    mock.child.kill('SIGKILL');
    const exit = await mock.exited;
    await writes.stop();
    expect(exit.signal).toBe('SIGKILL');
    expect(writes.cut).toBeGreaterThan(0); // the kill did cut requests in flight

    // The file is whole JSON, and holds every create that was acknowledged (even an answer read
    // after the kill was sent only after its write).
    const stored = await storedIds(file);
    const lost = writes.acked.filter((id) => !stored.has(id));
    expect(lost, `${lost.length} of ${writes.acked.length} acknowledged creates are not in the file`).toEqual([]);

    // The mock opens it as it was left, and serves every acknowledged create.
    const again = await start(ctx, file);
    expect(again.banner.sizes.policies).toBe(stored.size);
    const res = await fetch(`${again.banner.url}/v2/policy/list`, { headers: AUTH });
    const listed = new Set(((await res.json()) as { id: string }[]).map((p) => p.id));
    expect(writes.acked.filter((id) => !listed.has(id))).toEqual([]);
  }, 180_000);
});
