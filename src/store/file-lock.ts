import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
 *
 * Every step that decides is atomic, so that of many mocks started together exactly one wins: a
 * lock is created whole (a hard link of a file already written, so nobody reads it half-written)
 * and only if there is none; a stale lock is replaced only by the one process that created its
 * takeover file (named after that very lock's text, which is unique), after checking again that
 * the lock is still that one, by renaming the takeover file over it (no moment without a lock).
 */
export async function lockFile(file: string): Promise<() => Promise<void>> {
  const lock = resolve(`${file}.lock`);
  if (held.has(lock)) throw new FileLockedError(`${file} is already open in this process; one store per --db file`);
  held.add(lock); // before any await: two opens in this process must not both go on
  const mine = `${process.pid}\n${randomUUID()}\n`;
  try {
    await take(file, lock, mine);
  } catch (error) {
    held.delete(lock);
    throw error;
  }
  return async () => {
    held.delete(lock);
    // Only our own lock: never one a later process took over.
    if ((await readFile(lock, 'utf8').catch(() => '')) === mine) await rm(lock, { force: true });
  };
}

/** How many times a lock that changed under us is looked at again before giving up. */
const ATTEMPTS = 5;
/** Takeovers of takeovers (each a taker that died in the middle) followed before giving up. */
const MAX_DEPTH = 8;

async function take(file: string, lock: string, mine: string): Promise<void> {
  const temp = `${lock}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, mine, { flag: 'wx' });
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const outcome = await claim(lock, lock, temp, 0);
      if (outcome === 'mine') return;
      if (outcome !== 'changed')
        throw new FileLockedError(`${file} is in use by another process (pid ${outcome.pid}, see ${lock}); one mock per --db file`);
    }
    throw new FileLockedError(`${file} is in use by other processes that keep taking ${lock}; one mock per --db file`);
  } catch (error) {
    if (error instanceof FileLockedError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new FileLockedError(`cannot lock ${file} (${lock}: ${e.code ?? e.message})`);
  } finally {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}

type Claim = 'mine' | 'changed' | { pid: number };

/**
 * Makes `path` hold our text (the file `temp`), unless a live process holds it. A stale `path` is
 * taken over through `${lock}.takeover-HASH`, claimed the same way (so a taker that died half-way
 * is itself taken over).
 */
async function claim(path: string, lock: string, temp: string, depth: number): Promise<Claim> {
  if (await createFrom(temp, path)) return 'mine';
  const theirs = await readFile(path, 'utf8').catch(ifMissing(undefined));
  if (theirs === undefined) return 'changed'; // let go meanwhile
  const pid = holderOf(theirs);
  if (pid !== undefined) return { pid };
  if (depth >= MAX_DEPTH) throw new FileLockedError(`cannot take over ${lock}: too many takeover files beside it`);
  const takeover = `${lock}.takeover-${createHash('sha256').update(theirs).digest('hex').slice(0, 32)}`;
  const claimed = await claim(takeover, lock, temp, depth + 1);
  if (claimed !== 'mine') return claimed;
  // Ours to replace, if it is still the stale text we saw (else another taker finished before us).
  if ((await readFile(path, 'utf8').catch(ifMissing(undefined))) !== theirs) {
    await rm(takeover, { force: true });
    return 'changed';
  }
  await rename(takeover, path);
  return 'mine';
}

/** Creates `path` with `temp`'s text, whole, unless it exists (false). */
async function createFrom(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: an exclusive copy (created first, then filled).
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  try {
    await copyFile(temp, path, constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** The live process a lock's text names, or undefined when it is stale. */
function holderOf(text: string): number | undefined {
  const pid = Number.parseInt(text, 10);
  // Our own pid: a container restarted as pid 1 after a crash left its own lock behind.
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return isAlive(pid) ? pid : undefined;
}

const ifMissing =
  <T>(value: T) =>
  (error: unknown): T => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return value;
    throw error;
  };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
