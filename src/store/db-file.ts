import { rm } from 'node:fs/promises';
import type { StoreData } from '../domain/model.js';
import { LogWriter, type LogChange, type Unsynced } from './db-log.js';
import type { Change } from './draft.js';
import { storeText } from './store-text.js';
import type { Persistence } from './store.js';
import { SyncedTextFile } from './synced-text-file.js';

/** How a `--db` file is kept (see README "Durability"): internal knobs, the CLI sets `sync` only. */
export interface DbFileOptions {
  /** fdatasync each batch's log line (and a compaction's files) before acknowledging. */
  sync: boolean;
  /** Compact once the log holds this many bytes, or half the JSON file's size if that is more. */
  compactBytes: number;
  /** …but at most once per this many ms (each compaction costs the whole file's text). */
  compactEveryMs: number;
  /** News for the operator: a failed compaction (retried later). */
  notice: (message: string) => void;
  /** Test seam: called before each step of writing the JSON file; throwing there is a crash there. */
  step?: (name: 'checkpoint' | 'rename' | 'cut-log') => void | Promise<void>;
}

export const DEFAULT_DB_FILE_OPTIONS: DbFileOptions = {
  sync: true,
  compactBytes: 1024 * 1024,
  compactEveryMs: 5_000,
  notice: () => {},
};

/**
 * A `--db` store as two files: `FILE`, the whole document (lowdb's JSON), and `FILE.log`, one line per
 * committed batch of puts and removes since `FILE` was last written. A write costs what it changes:
 * a line appended (and fdatasync'd) before the batch commits. Compaction writes `FILE` again, off the
 * request path, then cuts the log. Whole-document changes (a reset, an import, a simulation tick)
 * write `FILE` at once, as before.
 *
 * Crash safety rests on checkpoints: before `FILE` is renamed in, the log gets a line saying "the file
 * whose text has SHA-256 H is the state after entry N". At start the last checkpoint naming the file's
 * hash says which entries it already holds (those up to N); with none, the file is the one the log
 * started from (or one a user edited after a crash), and every entry is applied on top.
 */
export class DbFile implements Persistence {
  readonly #file: SyncedTextFile;
  #seq: number;
  #jsonBytes: number;
  #lastCompaction = 0;
  /** A background compaction under way (one at a time). */
  #compaction: Promise<void> | undefined;
  /** Bumped by each whole write: a compaction of an older snapshot must not rename it over. */
  #wholeWrites = 0;
  /** Serialises what writes `FILE` and cuts the log (a compaction, a whole write). */
  #fileTurn: Promise<unknown> = Promise.resolve();
  /** Serialises writes to the log (a batch's line, a checkpoint, the cut). */
  #logTurn: Promise<unknown> = Promise.resolve();

  constructor(
    file: string,
    private readonly log: LogWriter,
    state: { seq: number; jsonBytes: number },
    private readonly release: () => Promise<void>,
    private readonly options: DbFileOptions,
  ) {
    this.#file = new SyncedTextFile(file, options.sync, unsyncedNotice(options.notice));
    this.#seq = state.seq;
    this.#jsonBytes = state.jsonBytes;
  }

  /** Bytes of whole lines in the log. */
  get logBytes(): number {
    return this.log.size;
  }

  async append(changes: readonly Change[]): Promise<void> {
    const line = { seq: this.#seq + 1, changes: changes.map(toLogChange) };
    await this.#logged(() => this.log.append(line));
    this.#seq = line.seq;
  }

  committed(document: () => StoreData): void {
    if (!this.#compaction && this.#due()) this.compactSoon(document);
  }

  /** Compacts in the background, now (a log replayed at start), unless a compaction is under way. */
  compactSoon(document: () => StoreData): void {
    if (this.#compaction) return;
    // The document now is the state after entry #seq, which ends at the log's current size.
    const run = this.#compact(document(), this.#seq, this.log.size).then(
      () => undefined,
      (error: unknown) =>
        this.options.notice(`compaction of the --db file failed (${describe(error)}); the log keeps every change, it is tried again later`),
    );
    this.#compaction = run.finally(() => {
      this.#compaction = undefined;
      this.#lastCompaction = Date.now();
    });
  }

  /** The whole document at once: a checkpoint, `FILE` renamed in, the log emptied. */
  write(data: StoreData): Promise<void> {
    return this.#inTurn(async () => {
      this.#wholeWrites++;
      const { parts, hash, length } = await storeText(data);
      const seq = this.#seq + 1;
      const before = this.log.size;
      await this.options.step?.('checkpoint');
      await this.#logged(() => this.log.append({ seq, checkpoint: hash }));
      try {
        await this.options.step?.('rename');
        // Rejects only if the file was not renamed in: the rename is the commit point.
        await this.#file.write(parts);
      } catch (error) {
        // The change failed: its checkpoint must not claim a state that never was.
        await this.#logged(() => this.log.cutBack(before));
        throw error;
      }
      this.#seq = seq;
      this.#jsonBytes = length;
      // Committed: the file holds it. A log not cut is still right (its checkpoint names the file).
      await this.#cutLog(this.log.size);
    });
  }

  /** Waits for a compaction under way, compacts what the log holds, and lets go of the files. */
  async close(document?: StoreData): Promise<void> {
    try {
      await this.#compaction;
      if (document && this.log.size > 0) await this.#compact(document, this.#seq, this.log.size);
    } finally {
      // Whatever fails here, the lock is let go (the files are right as they are: see #compact).
      await this.log.close().catch(() => undefined);
      // An empty log says nothing: a stopped mock leaves only the JSON file, whole, to open and edit.
      if (this.log.size === 0) await rm(this.log.path, { force: true }).catch(() => undefined);
      await this.release();
    }
  }

  #due(): boolean {
    const size = this.log.size;
    if (size < Math.max(this.options.compactBytes, this.#jsonBytes / 2)) return false;
    return Date.now() - this.#lastCompaction >= this.options.compactEveryMs;
  }

  /** Writes `document` (the state after entry `seq`, whose line ends at `upTo`) as `FILE`, then cuts the log to what came after. */
  async #compact(document: StoreData, seq: number, upTo: number): Promise<void> {
    const whole = this.#wholeWrites;
    const { parts, hash, length } = await storeText(document);
    await this.#inTurn(async () => {
      if (this.#wholeWrites !== whole) return; // a reset or an import wrote a newer file meanwhile
      await this.options.step?.('checkpoint');
      // Lines that came in while the text was made stay, and the checkpoint with them (then
      // harmless: those lines are all after it); with none, the log is emptied.
      let cutFrom = upTo;
      await this.#logged(async () => {
        const quiet = this.log.size === upTo;
        const end = await this.log.append({ seq, checkpoint: hash });
        if (quiet) cutFrom = end;
      });
      await this.options.step?.('rename');
      await this.#file.write(parts);
      this.#jsonBytes = length;
      await this.#cutLog(cutFrom);
    });
  }

  /** Keeps the log from `from` on; a failure leaves a log that is still right, only longer. */
  async #cutLog(from: number): Promise<void> {
    try {
      await this.options.step?.('cut-log');
      await this.#logged(() => this.log.keepFrom(from));
    } catch (error) {
      this.options.notice(`the --db log could not be cut after a compaction (${describe(error)}); it is replayed correctly, and cut later`);
    }
  }

  #logged<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#logTurn.then(work);
    this.#logTurn = run.catch(() => undefined);
    return run;
  }

  #inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#fileTurn.then(work);
    this.#fileTurn = run.catch(() => undefined);
    return run;
  }
}

/** A rename kept but not synced: the write stands (it is what the file holds), the operator is told. */
export function unsyncedNotice(notice: (message: string) => void): Unsynced {
  return (file, error) =>
    notice(`${file} was written, but its folder could not be synced (${describe(error)}); the change is kept, a power cut may undo it`);
}

function toLogChange(change: Change): LogChange {
  if (change.kind === 'put') return { put: change.policy };
  if (change.kind === 'remove') return { remove: change.id };
  throw new Error(`a ${change.kind} is written as a whole document, not logged`);
}

const describe = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;
