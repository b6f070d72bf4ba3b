// What one request can cost, from a real process (issue 17, findings 1, 8, 14, and the journal
// memory property): the event loop measured by a probe to /__admin/health while hostile requests
// run, memory by the OS (/proc/PID/status). Generous bounds: properties, not benchmarks.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readFixture } from '../helpers/fixtures.js';
import { killAll, startCli, type RunningMock } from '../helpers/spawn-mock.js';

afterAll(killAll);

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const START = { timeoutMs: 60_000 };

/** Resident memory now and at its peak (VmHWM), in MB. */
async function memoryMb(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** A create whose JSON text is `json`, gzipped (a few hundred bytes on the wire for a megabyte). */
function gzippedCreate(mock: RunningMock, json: string, headers: Record<string, string> = {}) {
  return fetch(`${mock.banner.url}/v2/policy/create`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', ...headers },
    body: gzipSync(json),
  });
}

/**
 * The slowest answer of /__admin/health, probed every 100 ms while `hostile` requests are under
 * way (a liveness probe's view of the event loop), and what the hostile requests got.
 */
async function healthWhile<T>(mock: RunningMock, hostile: Array<Promise<T>>): Promise<{ healthMs: number; answers: T[] }> {
  let done = false;
  const answers = Promise.all(hostile).finally(() => (done = true));
  let healthMs = 0;
  while (!done) {
    const started = performance.now();
    const health = await fetch(`${mock.banner.url}/__admin/health`, { signal: AbortSignal.timeout(30_000) });
    healthMs = Math.max(healthMs, performance.now() - started);
    expect(health.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { healthMs, answers: await answers };
}

describe('work before auth is linear in what a client sends', () => {
  it('refuses a 200,000-digit number in a gzipped create without a token at once; health answers meanwhile', async () => {
    const mock = await startCli(['--port', '0', '-q', '--token', 't'], START);
    const json = JSON.stringify(body).replace('"heartbeat_time":300', `"heartbeat_time":0.1${'0'.repeat(200_000)}1`);
    const { healthMs, answers } = await healthWhile(mock, [
      gzippedCreate(mock, json).then(async (r) => [r.status, await r.text()] as const),
    ]);
    console.log(`200,000-digit number (${gzipSync(json).length} bytes gzipped): health answered in ${healthMs.toFixed(0)} ms`);
    // Before: the exact-number check took ~26 s, with the event loop blocked, before auth.
    expect(healthMs).toBeLessThan(2_000);
    const [status, text] = answers[0]!;
    expect(status).toBe(400);
    expect(text).toContain('numbers may be at most 400 characters');
    await mock.stop();
  }, 60_000);
});

describe('the work and memory of a refused request are bounded by what its answer shows', () => {
  it('answers three gzipped creates of 500,000 integers in resource_ids quickly, in little memory', async () => {
    const mock = await startCli(['--port', '0', '-q', '--token', 't'], START);
    const json = JSON.stringify({ ...body, resource_ids: [] }).replace(
      '"resource_ids":[]',
      `"resource_ids":[${Array(500_000).fill(0).join(',')}]`,
    );
    const send = () =>
      gzippedCreate(mock, json, { Authorization: 'Bearer t' }).then(
        async (r) => [r.status, (await r.json()) as { message: string }] as const,
      );
    const { healthMs, answers } = await healthWhile(mock, [send(), send(), send()]);
    const { peak } = await memoryMb(mock.child.pid!);
    console.log(
      `3 × 500,000 integers (${gzipSync(json).length} bytes gzipped): health in ${healthMs.toFixed(0)} ms, peak RSS ${peak.toFixed(0)} MB`,
    );
    for (const [status, answer] of answers) {
      expect(status).toBe(400);
      expect(answer.message).toMatch(
        /^resource_ids has 500000 items; problems are named for the first 50 only; resource_ids\[0\] must be string; resource_ids\[1\] must be string; resource_ids\[2\] must be string/,
      );
    }
    // Before: ~3 s of CPU and ~400 MB of transient RSS per request (every item an error object).
    expect(healthMs).toBeLessThan(2_000);
    expect(peak).toBeLessThan(300);
    await mock.stop();
  }, 90_000);

  it('keeps a default mock under 300 MB through two 733 KB bodies of 250,000 {} in resource_ids', async () => {
    const mock = await startCli(['--port', '0', '-q'], START);
    const json = JSON.stringify({ ...body, resource_ids: Array.from({ length: 250_000 }, () => ({})) });
    const send = () =>
      fetch(`${mock.banner.url}/v2/policy/create`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: json,
      }).then((r) => r.status);
    expect(await Promise.all([send(), send()])).toEqual([400, 400]);
    const { peak } = await memoryMb(mock.child.pid!);
    console.log(`2 × 250,000 {} (${json.length} bytes): peak RSS ${peak.toFixed(0)} MB`);
    // Before: past 400 MB (the journal memory property of the previous round).
    expect(peak).toBeLessThan(300);
    await mock.stop();
  }, 90_000);
});

describe('refused requests leave no memory behind', () => {
  // A small heap: what requests leave behind fills it (the process dies out of memory), garbage does not.
  const SMALL_HEAP = { ...START, nodeArgs: ['--max-old-space-size=48'] };

  /** Sends `count` requests made by `request(i)`, four at a time; their statuses, counted. */
  async function sendAll(count: number, request: (i: number) => Promise<Response>): Promise<Record<number, number>> {
    const statuses: Record<number, number> = {};
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const res = await request(next++);
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    return statuses;
  }

  async function expectAliveAndSmall(mock: RunningMock, what: string): Promise<void> {
    expect((await fetch(`${mock.banner.url}/__admin/health`)).status).toBe(200);
    const { rss } = await memoryMb(mock.child.pid!);
    console.log(`${what}: served in a 48 MB heap, RSS ${rss.toFixed(0)} MB`);
    expect(mock.child.exitCode).toBeNull();
    await mock.stop();
  }

  it('serves 4,000 GETs of /pods with 15 KB ids in a 48 MB heap', async () => {
    const mock = await startCli(['--port', '0', '-q'], SMALL_HEAP);
    const statuses = await sendAll(4_000, (i) =>
      fetch(`${mock.banner.url}/v2/policy/${String(i).padStart(15_000, 'x')}/pods`, { headers: { Authorization: 'Bearer t' } }),
    );
    // A malformed id (the spec asks no format of it, the API refuses it). Before: the cache of
    // known-valid GET paths kept each whole (10,000 of them: ~184 MB), and
    // the journal's clipped paths held the whole path they were cut from.
    expect(statuses).toEqual({ 400: 4_000 });
    await expectAliveAndSmall(mock, '4,000 GETs with 15 KB ids');
  }, 180_000);
});
