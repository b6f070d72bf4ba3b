import { mkdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { lockFile } from './file-lock.js';
import type { StoreData } from '../domain/model.js';
import { snapshotProblems } from './snapshot.js';
import type { DataBudget } from './data-budget.js';
import { DbFile, DEFAULT_DB_FILE_OPTIONS, unsyncedNotice, type DbFileOptions } from './db-file.js';
import { LogCorruptError, LogWriter, readLog, type ReadLog } from './db-log.js';
import { applyChanges, documentOf, stateOf, type Change } from './draft.js';
import { textHash } from './store-text.js';
import { Store } from './store.js';

export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

export interface OpenStoreOptions {
  /** Persist to this JSON file; in memory when absent. */
  file?: string | undefined;
  /** Called for a new store (memory, or a file that does not exist yet). */
  seed: () => StoreData;
  /** What every store of the process may hold together (--max-data); no limit when absent. */
  budget?: DataBudget | undefined;
  /** Start the file afresh from `seed`, whatever it holds (`--reset-db`). */
  fresh?: boolean | undefined;
  /** News for the operator (a log replayed, a torn line dropped, a compaction that failed). */
  notice?: ((message: string) => void) | undefined;
  /** How the file and its log are kept (default: fdatasync'd, see db-file.ts). */
  dbFile?: Partial<DbFileOptions> | undefined;
}

/**
 * Opens the store: in memory from the seed, or from a JSON file and its log (`FILE.log`, see
 * db-file.ts) that is created from the seed when missing (its folder too). A file that is not a store,
 * or a log with a corrupt line, is refused and never overwritten; a file another live mock holds is
 * refused. `fresh` overwrites it from the seed (once locked).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (!options.file) return memoryStore(options.seed(), options.budget);
  // Once, here: the file, its log and its lock are the real file's (a link stays a link).
  const file = await realFilePath(options.file);
  const dbOptions: DbFileOptions = { ...DEFAULT_DB_FILE_OPTIONS, notice: options.notice ?? (() => {}), ...options.dbFile };
  let text = options.fresh ? undefined : await readExisting(file);
  if (text !== undefined) {
    let parsed = parseStore(file, text);
    const release = await lock(file);
    try {
      // Read before the lock (for its errors); a process that held the file may have written it since.
      const locked = (await readExisting(file)) ?? '';
      if (locked !== text) {
        parsed = parseStore(file, locked);
        text = locked;
      }
      const log = await readLogOf(file);
      const { data, replayed, seq } = replay(file, parsed, textHash(text), log);
      if (log.tornBytes > 0)
        dbOptions.notice(`${file}.log: dropped ${log.tornBytes} bytes of a last line cut short (a write never acknowledged)`);
      if (replayed > 0)
        dbOptions.notice(`${file}: replayed ${replayed} changes from ${file}.log (the mock had stopped without compacting)`);
      const writer = await LogWriter.open(`${file}.log`, log.end, dbOptions.sync, unsyncedNotice(dbOptions.notice));
      const persistence = new DbFile(file, writer, { seq, jsonBytes: text.length }, release, dbOptions);
      const store = new Store(data, persistence, options.budget);
      // A replayed log goes into the file now, in the background: a user then finds it whole.
      if (replayed > 0) persistence.compactSoon(() => store.data);
      return store;
    } catch (error) {
      await release();
      throw error;
    }
  }
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    throw new StoreOpenError(`cannot create the folder of ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const release = await lock(file);
  const data = options.seed();
  try {
    // A log left beside a file that is gone (or being reset) belongs to no file: written past, then cut.
    const old = await readLogOf(file).catch(() => ({ lines: [], end: 0, tornBytes: 0 }));
    const writer = await LogWriter.open(`${file}.log`, old.end, dbOptions.sync, unsyncedNotice(dbOptions.notice));
    const persistence = new DbFile(file, writer, { seq: lastSeq(old), jsonBytes: 0 }, release, dbOptions);
    try {
      await persistence.write(data);
    } catch (error) {
      await persistence.close();
      throw new StoreOpenError(`cannot create ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    return new Store(data, persistence, options.budget);
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    await release();
    throw new StoreOpenError(`cannot create ${file}.log: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * The file `path` names, links followed, the file or not (then through its folder, or through the
 * link that names it). Compaction renames a temp file over the file: over a link, it would replace
 * the link and leave the real file behind; and a lock on the link's name would not see the real one.
 */
async function realFilePath(path: string, links = 0): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    // Anything but "not there" (a loop, a denied folder) is said by the open that follows.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || links > 40) return resolve(path);
  }
  const target = await readlink(path).catch(() => undefined);
  if (target !== undefined) return realFilePath(resolve(dirname(path), target), links + 1);
  const folder = dirname(resolve(path));
  return folder === resolve(path) ? folder : join(await realFilePath(folder, links), basename(path));
}

/** A store that lives in memory only (the default, and every session's). */
export function memoryStore(data: StoreData, budget?: DataBudget): Store {
  return new Store(data, undefined, budget);
}

/** FILE.lock for this process (see file-lock.ts): it guards the file and its log together. */
async function lock(file: string): Promise<() => Promise<void>> {
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockFile(file);
    // What a crash in the middle of cutting the log left (the log itself is whole, old or new).
    await rm(`${file}.log.tmp`, { force: true });
    return release;
  } catch (error) {
    await release?.();
    throw new StoreOpenError(`${(error as Error).message}; refusing to start`);
  }
}

async function readLogOf(file: string): Promise<ReadLog> {
  try {
    return await readLog(`${file}.log`);
  } catch (error) {
    const why =
      error instanceof LogCorruptError
        ? error.message
        : `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
    throw new StoreOpenError(`${file}.log ${why}; refusing to start, both files were left untouched`);
  }
}

const lastSeq = (log: ReadLog) => log.lines.reduce((max, line) => Math.max(max, line.seq), 0);

/**
 * The file's document with the log's entries that it does not hold yet: those after the last
 * checkpoint naming this file's text, or all of them when none does (the file the log started
 * from, or one edited after a crash). The result is checked as a file is.
 */
function replay(file: string, data: StoreData, hash: string, log: ReadLog): { data: StoreData; replayed: number; seq: number } {
  let held = 0;
  for (const line of log.lines) if ('checkpoint' in line && line.checkpoint === hash) held = line.seq;
  const changes: Change[] = [];
  for (const line of log.lines) {
    if (!('changes' in line) || line.seq <= held) continue;
    for (const change of line.changes)
      changes.push('put' in change ? { kind: 'put', policy: change.put } : { kind: 'remove', id: change.remove });
  }
  const seq = lastSeq(log);
  if (changes.length === 0) return { data, replayed: 0, seq };
  const result = documentOf(applyChanges(stateOf(data), changes));
  const problems = snapshotProblems(result);
  if (problems.length > 0)
    throw new StoreOpenError(
      `${file} with ${file}.log replayed is not a mock store (${summary(problems)}); refusing to start, both files were left untouched`,
    );
  return { data: result, replayed: changes.length, seq };
}

function summary(problems: ReturnType<typeof snapshotProblems>): string {
  return `${problems
    .slice(0, 3)
    .map((p) => `${p.path} ${p.message}`)
    .join('; ')}${problems.length > 3 ? '; …' : ''}`;
}

// Read and checked here, not by lowdb: lowdb takes `null` or `0` for "no file" and would
// overwrite the file with the seed.
function parseStore(file: string, text: string): StoreData {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StoreOpenError(`${file} is not valid JSON (${(error as Error).message}); refusing to start, the file was left untouched`);
  }
  const problems = snapshotProblems(data);
  if (problems.length > 0)
    throw new StoreOpenError(`${file} is not a mock store (${summary(problems)}); refusing to start, the file was left untouched`);
  return data as StoreData;
}

/** The file's text, or undefined when there is no such file. */
async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    const why = e.code === 'EISDIR' ? 'is a directory' : `cannot be read (${e.code ?? e.message})`;
    throw new StoreOpenError(`${file} ${why}; refusing to start, the file was left untouched`);
  }
}
