import { mkdir, readlink, realpath, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Low, Memory } from 'lowdb';
import { lockFile } from './file-lock.js';
import type { StoreData } from '../domain/model.js';
import type { DataBudget } from './data-budget.js';
import { DbFile, DEFAULT_DB_FILE_OPTIONS, type DbFileOptions } from './db-file.js';
import { readStoreFile } from './read-store-file.js';
import { StoreOpenError } from './store-open-error.js';
import { Store } from './store.js';

export { StoreOpenError };

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
 * Opens the store: in memory from the seed, or a lowdb `Low` over a JSON file and its log
 * (`FILE.log`, see db-file.ts), read with `Low.read()`, or created from the seed with `Low.write()`
 * when missing (its folder too). A file that is not a store, or a log with a corrupt line, is
 * refused and never overwritten; a file another live mock holds is refused. `fresh` overwrites it
 * from the seed (once locked).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (!options.file) return memoryStore(options.seed(), options.budget);
  // Once, here: the file, its log and its lock are the real file's (a link stays a link).
  const file = await realFilePath(options.file);
  const dbOptions: DbFileOptions = { ...DEFAULT_DB_FILE_OPTIONS, notice: options.notice ?? (() => {}), ...options.dbFile };
  // Read and checked before the lock too: a file that is not a store is refused as such, held or not.
  const known = options.fresh ? undefined : await readStoreFile(file);
  if (!known) {
    try {
      await mkdir(dirname(file), { recursive: true });
    } catch (error) {
      throw new StoreOpenError(`cannot create the folder of ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const release = await lock(file);
  const dbFile = new DbFile(file, release, dbOptions, { known });
  let db: Low<StoreData>;
  try {
    // lowdb: a document and its adapter; the seed is the default, kept when there is no file to read.
    db = new Low<StoreData>(dbFile, known?.data ?? options.seed());
    await db.read();
  } catch (error) {
    await release();
    throw error;
  }
  if (!known) {
    try {
      await db.write();
    } catch (error) {
      await dbFile.close();
      throw new StoreOpenError(`cannot create ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  let store: Store;
  try {
    store = new Store(db, dbFile, options.budget);
  } catch (error) {
    await dbFile.close();
    throw error;
  }
  // A replayed log goes into the file now, in the background: a user then finds it whole.
  if (dbFile.replayed > 0) dbFile.compactSoon(() => store.writeDocument());
  return store;
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

/** A store that lives in memory only (the default, and every session's): lowdb's `Memory` adapter. */
export function memoryStore(data: StoreData, budget?: DataBudget): Store {
  return new Store(new Low(new Memory<StoreData>(), data), undefined, budget);
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
