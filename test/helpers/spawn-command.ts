// Runs a command as a user's shell would (npm, an installed bin), with this test's node first on
// PATH, so the Node 22/24 runs of CI test the node they were started with, npm and bins included.
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, dirname } from 'node:path';

export interface Command {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves at exit, once the output is read (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first match of `pattern` in stdout; rejects on exit or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
}

/** The environment of a fresh shell: none of the npm run that started the tests, no PORT or HOST. */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|NODE_OPTIONS$|PORT$|HOST$|VITEST|INIT_CWD$)/i.test(key)) env[key] = value;
  }
  env.PATH = `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`;
  return { ...env, ...extra };
}

const live = new Set<ChildProcess>();

export function startCommand(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Command {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    child.once('close', (code, signal) => done({ code, signal }));
    child.once('error', (error) => {
      err += `spawn failed: ${error.message}\n`;
      done({ code: null, signal: null });
    });
  });
  void exited.then(() => live.delete(child));
  const describe = () => `${command} ${args.join(' ')}\nstdout:\n${out}\nstderr:\n${err}`;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) finish(() => resolve(match));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no ${pattern} after ${timeoutMs} ms from ${describe()}`))),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
          settle();
        };
        child.stdout?.on('data', check);
        void exited.then((exit) => finish(() => reject(new Error(`exited ${JSON.stringify(exit)} before ${pattern}: ${describe()}`))));
        check();
      });
    },
  };
}

/** Runs a command to its end; rejects after `timeoutMs` (and kills it). */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
) {
  const proc = startCommand(command, args, options);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), options.timeoutMs);
  const exit = await proc.exited;
  clearTimeout(timer);
  if (exit.signal === 'SIGKILL')
    throw new Error(`${command} ${args.join(' ')} took over ${options.timeoutMs} ms\n${proc.stdout()}\n${proc.stderr()}`);
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
}

/** SIGKILLs every command still running (for afterAll). */
export function killCommands(): void {
  for (const child of live) child.kill('SIGKILL');
}
