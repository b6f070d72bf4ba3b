import { readFile } from 'node:fs/promises';
import type { StoreData } from '../domain/model.js';
import { LogCorruptError, readLog, type ReadLog } from './db-log.js';
import { applyChanges, documentOf, stateOf, type Change } from './draft.js';
import { snapshotProblems } from './snapshot.js';
import { StoreOpenError } from './store-open-error.js';

/** A `--db` file's text and the store it holds. */
export interface StoreFileText {
  text: string;
  data: StoreData;
}

/**
 * `file`'s text, parsed and checked as a store (`snapshot.ts`); undefined when there is no such file.
 * Read and checked here, not by a lowdb `DataFile`: one takes `null` or `0` for "no file" and would
 * overwrite the file with the seed.
 */
export async function readStoreFile(file: string): Promise<StoreFileText | undefined> {
  const text = await readExisting(file);
  return text === undefined ? undefined : { text, data: parseStore(file, text) };
}

export function parseStore(file: string, text: string): StoreData {
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
export async function readExisting(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return undefined;
    const why = e.code === 'EISDIR' ? 'is a directory' : `cannot be read (${e.code ?? e.message})`;
    throw new StoreOpenError(`${file} ${why}; refusing to start, the file was left untouched`);
  }
}

export async function readLogOf(file: string): Promise<ReadLog> {
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

export const lastSeq = (log: ReadLog) => log.lines.reduce((max, line) => Math.max(max, line.seq), 0);

/**
 * The file's document with the log's entries that it does not hold yet: those after the last
 * checkpoint naming this file's text, or all of them when none does (the file the log started
 * from, or one edited after a crash). The result is checked as a file is.
 */
export function replayLog(file: string, data: StoreData, hash: string, log: ReadLog): { data: StoreData; replayed: number; seq: number } {
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
