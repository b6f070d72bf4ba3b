import { readFile, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

/** Locks this process holds: its own pid in a lock file means "stale" only if it is not one of these. */
const held = new Set<string>();

/** Another live process holds the file. */
export class FileLockedError extends Error {
  override name = 'FileLockedError';
}

/**
 * Takes `FILE.lock` for this process (it holds the pid), so that a second mock on the same `--db`
 * file refuses to start instead of overwriting the first one's writes. A lock left by a process
 * that is gone (killed, crashed) is taken over at once: its pid is dead. Written here rather than
 * with proper-lockfile, whose staleness is a timeout: a restart right after a crash would be refused.
 * Resolves to the release function.
 */
export async function lockFile(file: string): Promise<() => Promise<void>> {
  const lock = resolve(`${file}.lock`);
  if (held.has(lock)) throw new FileLockedError(`${file} is already open in this process; one store per --db file`);
  const mine = `${process.pid}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(lock, mine, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockProblem(file, lock, error);
      const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
      // Our own pid: a container restarted as pid 1 after a crash left its own lock behind.
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new FileLockedError(`${file} is in use by another process (pid ${holder}, see ${lock}); one mock per --db file`);
      }
      await rm(lock, { force: true });
    }
  }
  held.add(lock);
  return async () => {
    held.delete(lock);
    // Only our own lock: never one a later process took over.
    if ((await readFile(lock, 'utf8').catch(() => '')) === mine) await rm(lock, { force: true });
  };
}

function lockProblem(file: string, lock: string, error: unknown): Error {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EEXIST')
    return new FileLockedError(`${file} is in use by another process that just took ${lock}; one mock per --db file`);
  return new FileLockedError(`cannot lock ${file} (${lock}: ${e.code ?? e.message})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
