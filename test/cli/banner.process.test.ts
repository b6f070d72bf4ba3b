// What the banner tells a demo presenter: that an existing --db file won over the data flags (and
// --reset-db to start it afresh), and, with --log-format json, every line of it as JSON.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, spawnCli, startCli } from '../helpers/spawn-mock.js';

const START_TIMEOUT = 30_000;
const dirs: string[] = [];
afterAll(async () => {
  await killAll();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cedana-banner-test-'));
  dirs.push(dir);
  return join(dir, 'store.json');
}

const seedOf = async (file: string) => (JSON.parse(await readFile(file, 'utf8')) as { meta: { seed: number } }).meta.seed;

describe('--db FILE that already holds data', () => {
  it(
    'says in the banner that --seed did not apply, and --reset-db starts the file afresh from the flags',
    { timeout: 120_000 },
    async () => {
      const file = await tempFile();
      const first = await startCli(['--port', '0', '--db', file, '--seed', '3'], { timeoutMs: START_TIMEOUT });
      await first.stop('SIGTERM');
      expect(await seedOf(file)).toBe(3);

      const kept = await startCli(['--port', '0', '--db', file, '--seed', '8'], { timeoutMs: START_TIMEOUT });
      expect(kept.banner.seed).toBe(3);
      expect(kept.stdout()).toContain(
        `note: ${file} already held data (seed 3), so --seed did not apply; add --reset-db to start it afresh from the flags`,
      );
      await kept.stop('SIGTERM');

      const reset = await startCli(['--port', '0', '--db', file, '--seed', '8', '--reset-db'], { timeoutMs: START_TIMEOUT });
      expect(reset.banner.seed).toBe(8);
      expect(reset.stdout()).not.toContain('note:');
      await reset.stop('SIGTERM');
      expect(await seedOf(file)).toBe(8);
    },
  );
});

describe('--log-format json', () => {
  it('prints the banner and the shutdown line as JSON lines too', { timeout: 60_000 }, async () => {
    const proc = spawnCli(['--port', '0', '--log-format', 'json']);
    const deadline = Date.now() + START_TIMEOUT;
    while (!proc.stdout().includes('"event":"try"')) {
      if (Date.now() > deadline) throw new Error(`no banner:\n${proc.stdout()}\n${proc.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = proc.stdout().match(/"url":"(http:\/\/127\.0\.0\.1:\d+)"/)![1]!;
    await fetch(`${url}/v2/policy/list`, { headers: { Authorization: 'Bearer t' } });
    await new Promise((r) => setTimeout(r, 200));
    const exit = await proc.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    const lines = proc.stdout().trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { msg: string; event?: string; url?: string });
    expect(parsed[0]).toMatchObject({ msg: `Cedana Policy API mock listening on ${url}`, event: 'listening', url });
    expect(parsed.map((p) => p.event ?? p.msg)).toEqual(['listening', 'data', 'auth', 'docs', 'inspector', 'try', 'request', 'shutdown']);
    expect(parsed.at(-1)).toMatchObject({ msg: 'SIGTERM: shutting down', signal: 'SIGTERM' });
  });

  it('prints the --token value in no line and no field: the curl field reads it from $TOKEN', { timeout: 60_000 }, async () => {
    const proc = spawnCli(['--port', '0', '--log-format', 'json', '--token', 'json-s3cret']);
    const deadline = Date.now() + START_TIMEOUT;
    while (!proc.stdout().includes('"event":"try"')) {
      if (Date.now() > deadline) throw new Error(`no banner:\n${proc.stdout()}\n${proc.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await proc.stop('SIGTERM');
    expect(proc.stdout()).not.toContain('json-s3cret');
    const tryLine = proc
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event?: string; curl?: string })
      .find((p) => p.event === 'try');
    expect(tryLine?.curl).toMatch(/^curl -H "Authorization: Bearer \$TOKEN" http:\/\/127\.0\.0\.1:\d+\/v2\/policy\/list$/);
  });
});
