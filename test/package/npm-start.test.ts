// `npm start` as docker, systemd and `timeout` run it: SIGTERM goes to the npm process, and the
// server must stop with it (not be left serving, orphaned, with ppid 1).
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, isRunning } from '../helpers/descendants.js';
import { REPO_ROOT } from '../helpers/spawn-mock.js';
import { killCommands, startCommand } from '../helpers/spawn-command.js';

const orphans = new Set<number>();
afterAll(() => {
  killCommands();
  for (const pid of orphans) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

describe('npm start', () => {
  // The first start on a fresh clone compiles everything (tsc -b): allow for a busy machine.
  it('stops the server when the npm process gets SIGTERM', { timeout: 180_000 }, async () => {
    const npm = startCommand('npm', ['start', '--', '--port', '0'], { cwd: REPO_ROOT });
    const match = await npm.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)\n[\s\S]*try: /, 150_000);
    const port = Number(match[1]);
    const below = descendants(npm.child.pid ?? -1);
    for (const pid of below) orphans.add(pid);
    expect(below.length).toBeGreaterThan(0);
    expect(await refused(port)).toBe(false);

    // 'exit', not the end of output: an orphaned server would keep npm's stdout open forever.
    const exit = new Promise<unknown>((resolve) => npm.child.once('exit', (code, signal) => resolve({ code, signal })));
    npm.child.kill('SIGTERM');
    expect(await waitUntil(() => below.every((pid) => !isRunning(pid)), 15_000)).toBe(true);
    expect(await refused(port)).toBe(true);
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(npm.stdout()).toContain('SIGTERM: shutting down');
  });
});
