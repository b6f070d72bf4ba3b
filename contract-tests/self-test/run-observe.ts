import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './run-node.js';

export interface ObserveRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const live = new Set<ChildProcess>();

/**
 * `cedana-policy-contract observe …` as a process (through cli.ts, as the bin runs it). Killed
 * after `timeoutMs`, so a hung proxy fails its test instead of outliving it.
 */
export function runObserve(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<ObserveRun> & { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'contract-tests/cli.ts', 'observe', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<ObserveRun>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
  return Object.assign(done, { child, output: () => stdout });
}

/** The traffic script as observe's COMMAND: `-- node --import tsx …/observe-traffic.ts`. */
export const TRAFFIC_COMMAND = ['--', process.execPath, '--import', 'tsx', 'contract-tests/self-test/observe-traffic.ts'];

/** Kills whatever is still running (afterAll). */
export function killObserves(): void {
  for (const child of live) child.kill('SIGKILL');
}
