import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { StoreData } from './model.js';
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

  const db = new Low<StoreData | null>(new JSONFile<StoreData | null>(options.file), null);
  try {
    await db.read();
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'EISDIR' ? 'is a directory' : e.code ? `cannot be read (${e.code})` : `is not valid JSON (${e.message})`;
    throw new StoreOpenError(`${options.file} ${why}; refusing to start, the file was left untouched`);
  }
  if (db.data === null) {
    db.data = options.seed();
    try {
      await db.write();
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const why = e.code === 'ENOENT' ? 'its folder does not exist' : (e.code ?? e.message);
      throw new StoreOpenError(`cannot create ${options.file}: ${why}`);
    }
  } else {
    const problem = storeShapeProblem(db.data);
    if (problem) throw new StoreOpenError(`${options.file} is not a mock store (${problem}); refusing to start, the file was left untouched`);
  }
  return new Store(db as Low<StoreData>);
}

/** A store that lives in memory only (the default, and every session's). */
export function memoryStore(data: StoreData): Store {
  return new Store(new Low(new Memory<StoreData>(), data));
}

/** A cheap structural check: enough to refuse a file that is someone else's JSON. */
export function storeShapeProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'top level is not an object';
  const record = data as Record<string, unknown>;
  for (const key of ['clusters', 'namespaces', 'pods', 'jobs', 'policies'] as const) {
    if (!Array.isArray(record[key])) return `"${key}" is not a list`;
  }
  if (typeof record.meta !== 'object' || record.meta === null) return '"meta" is missing';
  return null;
}
