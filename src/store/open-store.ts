import { readFile } from 'node:fs/promises';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { StoreData } from './model.js';
import { snapshotProblems } from './snapshot.js';
import { Store } from './store.js';

export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

export interface OpenStoreOptions {
  /** Persist to this JSON file; in memory when absent. */
  file?: string | undefined;
  /** Called for a new store (memory, or a file that does not exist yet). */
  seed: () => StoreData;
}

/**
 * Opens the store: in memory from the seed, or from a JSON file that is created from the seed
 * when missing. A file that is not a store is refused and never overwritten.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (!options.file) return memoryStore(options.seed());
  const file = options.file;
  const db = new Low<StoreData>(new JSONFile<StoreData>(file), null as unknown as StoreData);
  const text = await readExisting(file);
  if (text === undefined) {
    db.data = options.seed();
    try {
      await db.write();
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'its folder does not exist' : (e.code ?? e.message);
      throw new StoreOpenError(`cannot create ${file}: ${why}`);
    }
    return new Store(db);
  }
  // Read and checked here, not by lowdb: lowdb takes `null` or `0` for "no file" and would
  // overwrite the file with the seed.
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new StoreOpenError(`${file} is not valid JSON (${(error as Error).message}); refusing to start, the file was left untouched`);
  }
  const problems = snapshotProblems(data);
  if (problems.length > 0) {
    const first = problems.slice(0, 3).map((p) => `${p.path} ${p.message}`).join('; ');
    throw new StoreOpenError(`${file} is not a mock store (${first}${problems.length > 3 ? '; …' : ''}); refusing to start, the file was left untouched`);
  }
  db.data = data as StoreData;
  return new Store(db);
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

/** A store that lives in memory only (the default, and every session's). */
export function memoryStore(data: StoreData): Store {
  return new Store(new Low(new Memory<StoreData>(), data));
}
