// The README's way to run the installed bin from scripts: SIGTERM (docker, CI, a process manager,
// `kill`) must reach the server and free its port. Through `npx`, or a script without `exec`,
// npm's process ends and the server stays behind, orphaned, holding the port.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, isRunning } from '../helpers/descendants.js';
import { REPO_ROOT } from '../helpers/spawn-mock.js';
import { killCommands, startCommand, userEnv, type Command } from '../helpers/spawn-command.js';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const TSX_LOADER = pathToFileURL(createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

const leftovers = new Set<number>();
const project = mkdtempSync(join(tmpdir(), 'cedana-signals-'));
afterAll(() => {
  killCommands();
  for (const pid of leftovers) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  rmSync(project, { recursive: true, force: true });
});

/**
 * A project with the bin where npm installs it. It runs the sources through tsx (no build): what
 * is under test is the path a signal takes from the script to the server, not the compiled file.
 */
function installBin(): void {
  const bin = join(project, 'node_modules', '.bin', 'cedana-policy-mock');
  mkdirSync(join(bin, '..'), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" --import ${TSX_LOADER} "${join(REPO_ROOT, 'src/cli.ts')}" "$@"\n`);
  chmodSync(bin, 0o755);
}

/** The README's recommended lines, with a free port instead of 4010. */
function recommended(): { shell: string; scripts: Record<string, string> } {
  const shell = /^exec node_modules\/\.bin\/cedana-policy-mock .*?(?=\s+#|$)/m.exec(README)?.[0];
  const json = /^\{ "scripts": .*\}$/m.exec(README)?.[0];
  expect(shell, 'the README shows a shell line that execs the bin').toBeDefined();
  expect(json, 'the README shows a package.json script').toBeDefined();
  const free = (line: string) => line.replace('--port 4010', '--port 0');
  const { scripts } = JSON.parse(json!) as { scripts: Record<string, string> };
  return { shell: free(shell!), scripts: Object.fromEntries(Object.entries(scripts).map(([name, line]) => [name, free(line)])) };
}

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

/** SIGTERM to the outermost process: it and everything below it end, and the port is free. */
async function expectStopsOnSigterm(command: Command): Promise<void> {
  const match = await command.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)\n[\s\S]*try: /, 60_000);
  const port = Number(match[1]);
  const pids = [command.child.pid ?? -1, ...descendants(command.child.pid ?? -1)];
  for (const pid of pids) leftovers.add(pid);
  expect(await refused(port)).toBe(false);

  command.child.kill('SIGTERM');
  expect(await command.exited).toEqual({ code: 0, signal: null });
  expect(await waitUntil(() => pids.every((pid) => !isRunning(pid)), 15_000), `still running: ${pids.filter(isRunning).join(', ')}`).toBe(
    true,
  );
  expect(await refused(port)).toBe(true);
  expect(command.stdout()).toContain('SIGTERM: shutting down');
}

describe('the bin run from scripts as the README says', { timeout: 120_000 }, () => {
  installBin();

  it('a shell script: SIGTERM to the shell stops the server and frees the port', async () => {
    const { shell } = recommended();
    await expectStopsOnSigterm(startCommand('sh', ['-c', shell], { cwd: project, env: userEnv() }));
  });

  it('a package.json script run with npm run: SIGTERM to npm stops the server and frees the port', async () => {
    const { scripts } = recommended();
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'signals-app', private: true, scripts }));
    const [name] = Object.keys(scripts);
    await expectStopsOnSigterm(startCommand('npm', ['run', '-s', name!], { cwd: project, env: userEnv() }));
  });
});
