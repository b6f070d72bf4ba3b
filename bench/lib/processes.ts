// Server processes for the benchmarks and the soak: each on its own free loopback port, pinned to
// its own core when `taskset` exists, timed from spawn to its first 200, and always killed, even
// when the script fails half-way.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

export const HOST = '127.0.0.1';

/** Cores for the server under test and for the load generator (this process). */
export interface Pinning {
  server: number | null;
  load: number | null;
}

const live = new Set<ChildProcess>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // 'exit' handlers must be synchronous: a SIGKILL is.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of live) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * With `taskset` and at least two cores: the server on core 0, this process (the load) on core 1,
 * so the two never take turns on one core. Otherwise no pinning (and the report says so).
 */
export function pinLoadToOwnCore(): Pinning {
  if (availableParallelism() < 2 || !hasTaskset()) return { server: null, load: null };
  // -a: every thread of this process (autocannon runs in it), now and later.
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  return { server: 0, load: 1 };
}

export async function freePort(): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerCommand {
  /** For reports. */
  name: string;
  /** The program and its arguments; `{port}` is replaced by the free port. */
  argv: string[];
  /** A GET that answers 200 once the server is ready (with `headers`). */
  readyPath: string;
  headers?: Record<string, string>;
  env?: Record<string, string>;
  /** Where stdout goes: dropped (`ignore`, i.e. /dev/null) unless kept for the report. */
  keepOutput?: boolean;
  cwd?: string;
}

export interface RunningProcess {
  name: string;
  pid: number;
  port: number;
  url: string;
  /** Spawn to the first 200 of `readyPath`, in ms. */
  startupMs: number;
  child: ChildProcess;
  output(): string;
  /** Resident set size now (VmRSS of /proc/PID/status), in MB. */
  rssMb(): number;
  /** CPU time used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export async function startProcess(command: ServerCommand, pinning: Pinning, timeoutMs = 60_000): Promise<RunningProcess> {
  hookExit();
  const port = await freePort();
  const argv = command.argv.map((a) => a.replaceAll('{port}', String(port)));
  const [program, ...args] = pinning.server === null ? argv : ['taskset', '-c', String(pinning.server), ...argv];
  const started = performance.now();
  const child = spawn(program!, args, {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: ['ignore', command.keepOutput ? 'pipe' : 'ignore', 'pipe'],
  });
  live.add(child);
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const url = `http://${HOST}:${port}`;
  const stop = async () => {
    if (!exited) child.kill('SIGKILL');
    await exit;
  };

  try {
    const deadline = started + timeoutMs;
    for (;;) {
      if (exited) throw new Error(`${command.name} exited before answering\n${output}`);
      if (performance.now() > deadline)
        throw new Error(`${command.name} did not answer 200 on ${command.readyPath} within ${timeoutMs} ms\n${output}`);
      const status = await fetch(`${url}${command.readyPath}`, { headers: command.headers }).then(
        async (res) => (await res.arrayBuffer(), res.status),
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const startupMs = performance.now() - started;
  const pid = child.pid ?? -1;
  return {
    name: command.name,
    pid,
    port,
    url,
    startupMs,
    child,
    output: () => output,
    rssMb: () => rssMb(pid),
    cpuMs: () => cpuMs(pid),
    stop,
  };
}

/** CPU time the process has used so far (user + system, all threads), in ms: /proc/PID/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux that Node runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-th percentile (0-100) of unsorted samples, nearest rank. */
export function percentile(values: Float64Array | number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The machine a figure was measured on, for the report. */
export function machine(): { cores: number; cpu: string; node: string; os: string } {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  return { cores: cpus().length, cpu, node: process.version, os: `${process.platform} ${process.arch}` };
}

/** The commit measured, `+changes` when src/ differs from it (a result file says what it is of). */
export function measuredCommit(root: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const changed = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'src'], { cwd: root }).status !== 0;
    return changed ? `${commit}+changes` : commit;
  } catch {
    // Not a git checkout (an unpacked package): nothing to name.
    return 'unknown';
  }
}

/**
 * `node` and the flags a bin's shebang runs it with (`#!/usr/bin/env -S node --flag`), then the
 * file: a server measured as `npx cedana-policy-mock` runs it.
 */
export function asBin(file: string): string[] {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const flags = /^#!\/usr\/bin\/env -S node\s+(.*)$/.exec(first)?.[1]?.trim().split(/\s+/) ?? [];
  return [process.execPath, ...flags, file];
}

/** The bin as `npm start` and the installed package run it, freshly built (`npm run build`: tsc, then the bundle). */
export const MOCK_BIN = fileURLToPath(new URL('../../dist/bin/cedana-policy-mock.js', import.meta.url));

export function buildMock(): void {
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed (npm run build)');
}
