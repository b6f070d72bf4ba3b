// The --db file through a shutdown and through a crash, with a real process in the middle of a
// storm of writes.
//
// The guarantee ("write-ahead of the ack"): the mock answers a write only after it is kept: a batch
// of creates, updates and deletes as a line appended to FILE.log (fdatasync'd), a whole-document
// change (a simulation tick here) as FILE rewritten (a temp file renamed over it). So every
// acknowledged write survives the process dying at any moment, SIGKILL included: a restart replays
// the log on top of the file. A clean stop compacts the log into FILE and removes it.
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
  /** Ids whose delete was answered 200, or was sent and never answered (it may have been made). */
  deleted: Set<string>;
  /** The id of a delete that got no answer (the process went away under it): either way is right. */
  unanswered?: string;
  /** Per id, the heartbeat of its last update answered 200, and of one still in flight. */
  updated: Map<string, { acked: number; inFlight?: number }>;
  /** Requests that got no answer (the process went away under them). */
  cut: number;
  /** Stops sending; resolves once every request in flight has settled. */
  stop(): Promise<void>;
}

/** Creates, `concurrency` at a time, until stopped or the server goes away. */
function storm(url: string, concurrency: number): Storm {
  const state: Storm = { acked: [], deleted: new Set(), updated: new Map(), cut: 0, stop: async () => {} };
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
  const send = (route: string, method: string, json: unknown) =>
    fetch(`${url}/v2/policy/${route}`, { method, headers: { ...AUTH, 'Content-Type': 'application/json' }, body: JSON.stringify(json) });
  // One worker deletes, one updates, each its own ids in turn: so at most one of its writes is in
  // flight when the process dies, and what an id must look like afterwards is known.
  const deleter = async () => {
    for (let k = 0; running; k += 7) {
      const id = state.acked[k];
      if (!id) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        k -= 7;
        continue;
      }
      try {
        if ((await send('delete', 'DELETE', { id })).status === 200) state.deleted.add(id);
      } catch {
        state.unanswered = id;
        running = false;
      }
    }
  };
  const updater = async () => {
    for (let k = 3, beat = 1; running; k += 7, beat++) {
      const id = state.acked[k];
      if (!id) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        k -= 7;
        continue;
      }
      const seen = state.updated.get(id) ?? { acked: 0 };
      seen.inFlight = 1000 + beat;
      state.updated.set(id, seen);
      try {
        const res = await send('update', 'POST', { ...VALID[0], id, heartbeat_time: seen.inFlight });
        if (res.status === 200) seen.acked = seen.inFlight;
        delete seen.inFlight;
      } catch {
        running = false;
      }
    }
  };
  const workers = [...Array.from({ length: concurrency }, worker), deleter(), updater()];
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

async function start(ctx: TestContext, file: string, more: string[] = []): Promise<RunningMock> {
  const mock = await startCli(['--port', '0', '--quiet', '--db', file, ...SIZES, ...more], { timeoutMs: START_TIMEOUT });
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
    expect(writes.acked.filter((id) => !stored.has(id) && !writes.deleted.has(id) && id !== writes.unanswered)).toEqual([]);
    expect([...writes.deleted].filter((id) => stored.has(id))).toEqual([]);
    expect(new Set(writes.acked).size).toBe(writes.acked.length);
    // Compacted at the stop: the JSON file is the whole store, and no log is left.
    expect(existsSync(`${file}.log`)).toBe(false);
  }, 180_000);

  it('SIGKILL in the middle of creates, updates, deletes and a write of the file: a restart serves exactly what was acknowledged', async (ctx) => {
    const { expect } = ctx;
    const file = join(await tempDir(ctx), 'store.json');
    // The JSON file is rewritten (a temp file renamed over it) by each simulation tick.
    const temp = join(dirname(file), `.${basename(file)}.tmp`);
    const mock = await start(ctx, file, ['--simulate', '--tick', '150']);
    const writes = storm(mock.banner.url, 20);
    await waitFor('100 acknowledged creates, deletes and updates', () => writes.acked.length >= 100 && writes.deleted.size > 3, 60_000);
    // Kill while a write of the file is under way (its temp file exists), not between two writes.
    await waitFor('a write of the file in progress', () => existsSync(temp), 30_000);
    mock.child.kill('SIGKILL');
    const exit = await mock.exited;
    await writes.stop();
    expect(exit.signal).toBe('SIGKILL');
    expect(writes.cut).toBeGreaterThan(0); // the kill did cut requests in flight
    expect(existsSync(`${file}.log`)).toBe(true); // the writes since the last tick are only there

    // The mock opens what was left, replaying the log, and serves every acknowledged write.
    const again = await start(ctx, file);
    const res = await fetch(`${again.banner.url}/v2/policy/list`, { headers: AUTH });
    const listed = new Map(((await res.json()) as { id: string; input: number }[]).map((p) => [p.id, p.input]));
    const lost = writes.acked.filter((id) => !writes.deleted.has(id) && id !== writes.unanswered && !listed.has(id));
    expect(lost, `${lost.length} of ${writes.acked.length} acknowledged creates are not served`).toEqual([]);
    expect([...writes.deleted].filter((id) => listed.has(id))).toEqual([]);
    for (const [id, { acked, inFlight }] of writes.updated) {
      if (writes.deleted.has(id) || id === writes.unanswered || acked === 0) continue;
      expect([acked, inFlight], id).toContain(listed.get(id));
    }
    expect(again.stdout()).toMatch(/replayed \d+ changes from .*store\.json\.log/);
  }, 180_000);
});
