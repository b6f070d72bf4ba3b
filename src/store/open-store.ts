import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { lockFile } from './file-lock.js';
import type { StoreData } from '../domain/model.js';
import { snapshotProblems } from './snapshot.js';
import type { DataBudget } from './data-budget.js';
import { Store, type Persistence } from './store.js';

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
}

/**
 * Opens the store: in memory from the seed, or from a JSON file that is created from the seed
 * when missing (its folder too). A file that is not a store is refused and never overwritten;
 * a file another live mock holds is refused. `fresh` overwrites it from the seed (once locked).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (!options.file) return memoryStore(options.seed(), options.budget);
  const file = options.file;
  const text = options.fresh ? undefined : await readExisting(file);
  if (text !== undefined) {
    const data = parseStore(file, text);
    return new Store(data, await filePersistence(file), options.budget);
  }
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    throw new StoreOpenError(`cannot create the folder of ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const persistence = await filePersistence(file);
  const data = options.seed();
  try {
    await persistence.write(data);
  } catch (error) {
    await persistence.close();
    throw new StoreOpenError(`cannot create ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return new Store(data, persistence, options.budget);
}

/** A store that lives in memory only (the default, and every session's). */
export function memoryStore(data: StoreData, budget?: DataBudget): Store {
  return new Store(data, undefined, budget);
}

/** lowdb's JSON file adapter (a temp file renamed over the store) behind a lock held by this process. */
async function filePersistence(file: string): Promise<Persistence> {
  let release: () => Promise<void>;
  try {
    release = await lockFile(file);
  } catch (error) {
    throw new StoreOpenError(`${(error as Error).message}; refusing to start`);
  }
  const db = new Low<StoreData>(new JSONFile<StoreData>(file), null as unknown as StoreData);
  return {
    async write(data) {
      db.data = data;
      await db.write();
    },
    close: () => release(),
  };
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
  if (problems.length > 0) {
    const first = problems
      .slice(0, 3)
      .map((p) => `${p.path} ${p.message}`)
      .join('; ');
    throw new StoreOpenError(
      `${file} is not a mock store (${first}${problems.length > 3 ? '; …' : ''}); refusing to start, the file was left untouched`,
    );
  }
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
