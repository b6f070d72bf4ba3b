import { rm } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import type { StoreData } from '../domain/model.js';
import { LogWriter, type LogChange, type ReadLog, type Unsynced } from './db-log.js';
import type { Change } from './draft.js';
import { lastSeq, parseStore, readExisting, readLogOf, replayLog, type StoreFileText } from './read-store-file.js';
import { StoreOpenError } from './store-open-error.js';
import { storeText, textHash } from './store-text.js';
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

/** What `read` starts from: the file as read before it was locked, or none (then it is made from the seed). */
export interface DbFileStart {
  known?: StoreFileText | undefined;
}

/**
 * A `--db` store as two files, and lowdb's adapter of the store's `Low`: `FILE`, the whole document
 * (lowdb's JSON), and `FILE.log`, one line per committed batch of puts and removes since `FILE` was
 * last written. `read` is `FILE` with its log replayed; `write` (lowdb's `Low.write`: a reset, an
 * import, a simulation tick, a compaction) writes `FILE` whole. Around lowdb, ours: `append` costs
 * what a batch changes (a line appended and fdatasync'd before the batch commits), and compaction
 * writes `FILE` again off the request path, then cuts the log.
 *
 * Crash safety rests on checkpoints: before `FILE` is renamed in, the log gets a line saying "the file
 * whose text has SHA-256 H holds every entry up to N". At start the last checkpoint naming the file's
 * hash says which entries it already holds (those up to N); with none, the file is the one the log
 * started from (or one a user edited after a crash), and every entry is applied on top.
 */
export class DbFile implements Adapter<StoreData>, Persistence {
  readonly #file: SyncedTextFile;
  #log: LogWriter | undefined;
  #seq = 0;
  #jsonBytes = 0;
  /** Bytes cut from the log's front so far: a write places what its document holds before it was called. */
  #cut = 0;
  #lastCompaction = 0;
  /** A background compaction under way (one at a time). */
  #compaction: Promise<void> | undefined;
  /** Serialises what writes `FILE` and cuts the log (a compaction, a whole write). */
  #fileTurn: Promise<unknown> = Promise.resolve();
  /** Serialises writes to the log (a batch's line, a checkpoint, the cut). */
  #logTurn: Promise<unknown> = Promise.resolve();
  /** Entries `read` applied from the log on top of `FILE` (0: the file held them all). */
  replayed = 0;

  constructor(
    readonly path: string,
    private readonly release: () => Promise<void>,
    private readonly options: DbFileOptions,
    private readonly start: DbFileStart = {},
  ) {
    this.#file = new SyncedTextFile(path, options.sync, unsyncedNotice(options.notice));
  }

  /** Bytes of whole lines in the log. */
  get logBytes(): number {
    return this.#log?.size ?? 0;
  }

  private get log(): LogWriter {
    if (!this.#log) throw new Error(`${this.path}: read before written`);
    return this.#log;
  }

  /**
   * The store: `FILE` (read again, it is locked now: a process that held it may have written it
   * since), checked, with its log replayed; `null` (lowdb keeps its default: the seed) when there
   * was no file to start from, its log then written past.
   */
  async read(): Promise<StoreData | null> {
    const { known } = this.start;
    if (!known) {
      // A log left beside a file that is gone (or being reset) belongs to no file: written past, then cut.
      const old = await readLogOf(this.path).catch((): ReadLog => ({ lines: [], end: 0, tornBytes: 0 }));
      try {
        this.#log = await this.#openLog(old.end);
      } catch (error) {
        throw new StoreOpenError(`cannot create ${this.path}.log: ${describe(error)}`);
      }
      this.#seq = lastSeq(old);
      return null;
    }
    const text = (await readExisting(this.path)) ?? '';
    const parsed = text === known.text ? known.data : parseStore(this.path, text);
    const log = await readLogOf(this.path);
    const { data, replayed, seq } = replayLog(this.path, parsed, textHash(text), log);
    const { notice } = this.options;
    if (log.tornBytes > 0) notice(`${this.path}.log: dropped ${log.tornBytes} bytes of a last line cut short (a write never acknowledged)`);
    if (replayed > 0) notice(`${this.path}: replayed ${replayed} changes from ${this.path}.log (the mock had stopped without compacting)`);
    this.#log = await this.#openLog(log.end);
    this.#seq = seq;
    this.#jsonBytes = text.length;
    this.replayed = replayed;
    return data;
  }

  async append(changes: readonly Change[]): Promise<void> {
    const line = { seq: this.#seq + 1, changes: changes.map(toLogChange) };
    await this.#logged(() => this.log.append(line));
    this.#seq = line.seq;
  }

  committed(compact: () => Promise<void>): void {
    if (!this.#compaction && this.#due()) this.compactSoon(compact);
  }

  /** Compacts in the background, now (a log replayed at start), unless a compaction is under way. */
  compactSoon(compact: () => Promise<void>): void {
    if (this.#compaction) return;
    const run = compact().then(
      () => undefined,
      (error: unknown) =>
        this.options.notice(`compaction of the --db file failed (${describe(error)}); the log keeps every change, it is tried again later`),
    );
    this.#compaction = run.finally(() => {
      this.#compaction = undefined;
      this.#lastCompaction = Date.now();
    });
  }

  /**
   * Writes `data` as `FILE` (lowdb's adapter `write`): a checkpoint, `FILE` renamed in, the log cut.
   * `data` holds every entry logged so far (a compaction: the committed document; a whole change:
   * one made on it, while no batch is under way). Its text is made in pieces (`store-text.ts`), never
   * one string. Rejects only if `FILE` was not renamed in: the rename is the commit point.
   */
  write(data: StoreData): Promise<void> {
    // As called: the entries `data` holds end here (lines appended while its text is made come after).
    const seq = this.#seq;
    const logged = this.#cut + this.log.size;
    return this.#inTurn(async () => {
      // A compaction before it in turn may have cut the log since: those lines are gone from it.
      const upTo = Math.max(0, logged - this.#cut);
      const { parts, hash, length } = await storeText(data);
      await this.options.step?.('checkpoint');
      let before = 0;
      let end = 0;
      await this.#logged(async () => {
        before = this.log.size;
        end = await this.log.append({ seq, checkpoint: hash });
      });
      try {
        await this.options.step?.('rename');
        await this.#file.write(parts);
      } catch (error) {
        // Not written: its checkpoint must not claim a file that never was (lines after it keep it: then it is harmless).
        await this.#logged(async () => {
          if (this.log.size === end) await this.log.cutBack(before);
        });
        throw error;
      }
      this.#jsonBytes = length;
      // Lines that came in while the text was made stay, and the checkpoint with them (then
      // harmless: those lines are all after it); with none, the log is emptied.
      await this.#cutLog(before === upTo ? end : upTo);
    });
  }

  /** Waits for a compaction under way, compacts what the log holds (with `compact`), and lets go of the files. */
  async close(compact?: () => Promise<void>): Promise<void> {
    try {
      await this.#compaction;
      if (compact && this.logBytes > 0) await compact();
    } finally {
      // Whatever fails here, the lock is let go (the files are right as they are: see `write`).
      const log = this.#log;
      await log?.close().catch(() => undefined);
      // An empty log says nothing: a stopped mock leaves only the JSON file, whole, to open and edit.
      if (log?.size === 0) await rm(log.path, { force: true }).catch(() => undefined);
      await this.release();
    }
  }

  #openLog(end: number): Promise<LogWriter> {
    return LogWriter.open(`${this.path}.log`, end, this.options.sync, unsyncedNotice(this.options.notice));
  }

  #due(): boolean {
    const size = this.log.size;
    if (size < Math.max(this.options.compactBytes, this.#jsonBytes / 2)) return false;
    return Date.now() - this.#lastCompaction >= this.options.compactEveryMs;
  }

  /** Keeps the log from `from` on; a failure leaves a log that is still right, only longer. */
  async #cutLog(from: number): Promise<void> {
    try {
      await this.options.step?.('cut-log');
      await this.#logged(async () => {
        await this.log.keepFrom(from);
        this.#cut += from;
      });
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
