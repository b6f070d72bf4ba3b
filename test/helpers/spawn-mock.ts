// Runs the CLI as a real process, the way a user does (`node --import tsx src/cli.ts ...`), and
// keeps track of every process it starts so a test run never leaves one behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { parse as parseShell } from 'shell-quote';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = join(REPO_ROOT, 'src/cli.ts');
// Absolute, so the CLI can run from any working directory (a temp dir, say).
const TSX_LOADER = pathToFileURL(createRequire(join(REPO_ROOT, 'package.json')).resolve('tsx')).href;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Extra environment; PORT and HOST of the surrounding shell are never inherited. */
  env?: Record<string, string>;
  cwd?: string;
  /** Flags for node itself, e.g. a heap limit. */
  nodeArgs?: string[];
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly args: readonly string[];
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`, then rejects). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

export interface Banner {
  /** `http://127.0.0.1:PORT` as printed. */
  url: string;
  port: number;
  seed: number;
  sizes: { clusters: number; namespaces: number; pods: number; jobs: number; policies: number };
  /** Where the data lives, as printed: `in memory` or `stored in FILE`. */
  storage: string;
  /** The `curl ...` command of the `try:` line, exactly as printed. */
  curl: string;
}

export interface RunningMock extends CliProcess {
  banner: Banner;
}

const live = new Set<CliProcess>();

// Starting the CLI is CPU-bound (tsx plus loading the app: ~1.5 s of one core). Starting more at
// once than there are cores only makes every start slower, and makes a start's timeout measure a
// queue of others rather than that start: startCli and runCli take a slot until the banner is out
// or the process has exited.
const startLimit = pLimit(Math.max(1, availableParallelism()));
/** Waits for a start slot; resolves to the function that gives it back. */
function startSlot(): Promise<() => void> {
  return new Promise((taken) => {
    void startLimit(() => new Promise<void>((release) => taken(release)));
  });
}

export function spawnCli(args: readonly string[], options: SpawnOptions = {}): CliProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env || !('PORT' in options.env)) delete env.PORT;
  if (!options.env || !('HOST' in options.env)) delete env.HOST;
  delete env.NODE_OPTIONS; // vitest's own hooks have no business in the child

  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', TSX_LOADER, CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<Exit>((done) => {
    // 'close' rather than 'exit': by then stdout and stderr have been read to the end.
    child.once('close', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      err += `spawn failed: ${error.message}\n`;
      done({ code: null, signal: null });
    });
  });

  const proc: CliProcess = {
    child,
    args,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), graceMs).unref());
      const result = await Promise.race([exited, timer]);
      if (result !== 'timeout') return result;
      child.kill('SIGKILL');
      await exited;
      throw new Error(`cli ${args.join(' ')} did not exit within ${graceMs}ms of ${signal}\nstdout:\n${out}\nstderr:\n${err}`);
    },
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Runs the CLI to its exit (for flags that must make it refuse to start). */
export async function runCli(args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}) {
  const release = await startSlot();
  const proc = spawnCli(args, options);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timer = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), timeoutMs).unref());
  const result = await Promise.race([proc.exited, timer]);
  release();
  if (result === 'timeout') {
    await proc.stop('SIGKILL', 5_000).catch(() => undefined);
    throw new Error(`cli ${args.join(' ')} was still running after ${timeoutMs}ms\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`);
  }
  return { ...result, stdout: proc.stdout(), stderr: proc.stderr() };
}

const BANNER = new RegExp(
  [
    String.raw`listening on (?<url>http://\S+)\n`,
    String.raw`\s+seed (?<seed>\d+): (?<clusters>\d+) cluster\(s\), (?<namespaces>\d+) namespaces, (?<pods>\d+) pods, (?<jobs>\d+) jobs, (?<policies>\d+) policies; (?<storage>[^\n]+)\n`,
    String.raw`(?:[^\n]*\n)+?`, // auth: ..., docs: ..., and whatever else comes before the curl line
    String.raw`\s+try:\s+(?<curl>curl [^\n]+)\n`,
  ].join(''),
);

/**
 * Starts the CLI and resolves once its banner is complete. Rejects (with the process's output)
 * if it exits first or takes longer than `timeoutMs`.
 */
export async function startCli(args: readonly string[], options: SpawnOptions & { timeoutMs?: number } = {}): Promise<RunningMock> {
  const release = await startSlot();
  const proc = spawnCli(args, options);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const groups = await new Promise<Record<string, string>>((done, fail) => {
    const check = () => {
      const match = BANNER.exec(proc.stdout());
      if (match?.groups) {
        cleanup();
        done(match.groups);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      fail(new Error(`no banner from cli ${args.join(' ')} after ${timeoutMs}ms\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`));
    }, timeoutMs);
    const cleanup = () => {
      release();
      clearTimeout(timer);
      proc.child.stdout?.off('data', check);
    };
    proc.child.stdout?.on('data', check);
    void proc.exited.then((exit) => {
      cleanup();
      fail(
        new Error(
          `cli ${args.join(' ')} exited (${JSON.stringify(exit)}) before its banner\nstdout:\n${proc.stdout()}\nstderr:\n${proc.stderr()}`,
        ),
      );
    });
    check();
  }).catch(async (error: unknown) => {
    await proc.stop('SIGKILL', 5_000).catch(() => undefined);
    throw error;
  });

  const num = (name: string) => Number(groups[name]);
  const url = groups.url ?? '';
  const banner: Banner = {
    url,
    port: Number(new URL(url).port),
    seed: num('seed'),
    sizes: { clusters: num('clusters'), namespaces: num('namespaces'), pods: num('pods'), jobs: num('jobs'), policies: num('policies') },
    storage: groups.storage ?? '',
    curl: groups.curl ?? '',
  };
  return Object.assign(proc, { banner });
}

/** SIGKILLs every process still running (for afterAll: nothing outlives the test file). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...live].map(async (proc) => {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }),
  );
}

/** The processes still running (a test can assert it left none behind). */
export function liveProcesses(): readonly CliProcess[] {
  return [...live];
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/**
 * Reads a printed curl line the way a shell would (single-quoted words, `-H`, `-X`), so the test
 * sends exactly the request that the line describes. Anything else in the line is an error: the
 * line must work as printed, and a flag this does not understand might change its meaning.
 * `env` holds the shell variables the line names (`$TOKEN`); an unset one reads as empty, as in a shell.
 */
export function parseCurl(line: string, env: Record<string, string> = {}): CurlRequest {
  const words = parseShell(line, env).map((word) => {
    if (typeof word !== 'string') throw new Error(`shell syntax ${JSON.stringify(word)} in curl line: ${line}`);
    return word;
  });
  if (words.shift() !== 'curl') throw new Error(`not a curl command: ${line}`);
  const request: CurlRequest = { method: 'GET', url: '', headers: {} };
  while (words.length > 0) {
    const word = words.shift() ?? '';
    if (word === '-H' || word === '--header') {
      const header = words.shift() ?? '';
      const colon = header.indexOf(':');
      if (colon <= 0) throw new Error(`malformed header ${JSON.stringify(header)} in: ${line}`);
      request.headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (word === '-X' || word === '--request') {
      request.method = words.shift() ?? '';
    } else if (/^https?:\/\//.test(word) && request.url === '') {
      request.url = word;
    } else {
      throw new Error(`unexpected word ${JSON.stringify(word)} in curl line: ${line}`);
    }
  }
  if (!request.url) throw new Error(`no URL in curl line: ${line}`);
  return request;
}
