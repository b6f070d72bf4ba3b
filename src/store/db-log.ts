import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Policy } from '../domain/model.js';

/** A change as the log keeps it: a policy's whole value, or the id of one removed. */
export type LogChange = { put: Policy } | { remove: string };

/**
 * One line of `FILE.log`. An entry is one committed batch; a checkpoint says "the JSON file whose
 * text has this SHA-256 is the state after entry `seq`" (written before that file is renamed in).
 */
export type LogLine = { seq: number; changes: LogChange[] } | { seq: number; checkpoint: string };

/** A log line that is not one: the files are left as they are and the mock refuses to start. */
export class LogCorruptError extends Error {
  override name = 'LogCorruptError';
}

export interface ReadLog {
  lines: LogLine[];
  /** Where the last whole line ends: the next append goes here. */
  end: number;
  /** Bytes after the last newline (a write cut short, never acknowledged), dropped. */
  tornBytes: number;
}

/**
 * Reads and checks `FILE.log`. A line that does not parse or is not an entry, followed by a newline,
 * is corruption (refused); bytes after the last newline are a torn append (a write the process died
 * in, or that failed and could not be cut back): it was never acknowledged, so it is dropped.
 */
export async function readLog(path: string): Promise<ReadLog> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], end: 0, tornBytes: 0 };
    throw error;
  }
  const end = bytes.lastIndexOf(0x0a) + 1;
  const lines: LogLine[] = [];
  let start = 0;
  let lineNo = 0;
  let lastSeq = 0;
  while (start < end) {
    const stop = bytes.indexOf(0x0a, start);
    lineNo++;
    const line = parseLine(bytes.subarray(start, stop).toString('utf8'));
    if (typeof line === 'string') throw new LogCorruptError(`line ${lineNo} ${line}`);
    // Checkpoints repeat the seq of the entry they follow; entries only go up.
    if ('changes' in line ? line.seq <= lastSeq : line.seq < 0)
      throw new LogCorruptError(`line ${lineNo} has seq ${line.seq}, after ${lastSeq}`);
    if ('changes' in line) lastSeq = line.seq;
    lines.push(line);
    start = stop + 1;
  }
  return { lines, end, tornBytes: bytes.length - end };
}

/** The line, or why it is not one. */
function parseLine(text: string): LogLine | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  if (!isRecord(value) || !Number.isSafeInteger(value.seq)) return 'is not a log line (no seq)';
  const seq = value.seq as number;
  if (typeof value.checkpoint === 'string' && /^[0-9a-f]{64}$/.test(value.checkpoint)) return { seq, checkpoint: value.checkpoint };
  if (!Array.isArray(value.changes)) return 'is not a log line (neither changes nor a checkpoint)';
  for (const change of value.changes as unknown[]) {
    const ok =
      isRecord(change) &&
      Object.keys(change).length === 1 &&
      ((isRecord(change.put) && typeof change.put.id === 'string') || typeof change.remove === 'string');
    if (!ok) return 'holds a change that is neither {"put": policy} nor {"remove": id}';
  }
  return { seq, changes: value.changes as LogChange[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The open log: lines written at a known offset (not O_APPEND), so a write that fails half-way is
 * cut back to the last whole line and the next one starts there. `sync`: fdatasync after each line,
 * so an acknowledged write survives a power cut, not only the process dying.
 */
export class LogWriter {
  /** A cut-back failed: bytes past `end` may be garbage, to be cut before the next line. */
  private dirty = false;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private end: number,
    private readonly sync: boolean,
    private readonly unsynced: Unsynced,
  ) {}

  /** Opens `path` for writing at `end`, cutting off anything after it (a torn line). */
  static async open(path: string, end: number, sync: boolean, unsynced: Unsynced = () => {}): Promise<LogWriter> {
    const handle = await open(path, 'a+').then(async (h) => (await h.close(), open(path, 'r+')));
    await handle.truncate(end);
    return new LogWriter(path, handle, end, sync, unsynced);
  }

  /** Bytes of whole lines in the log. */
  get size(): number {
    return this.end;
  }

  /** Writes one line; on failure cuts the file back (so replay never sees a part of it) and rethrows. */
  async append(line: LogLine): Promise<number> {
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`);
    if (this.dirty) {
      await this.handle.truncate(this.end);
      this.dirty = false;
    }
    try {
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written, this.end + written);
        written += bytesWritten;
      }
      if (this.sync) await this.handle.datasync();
    } catch (error) {
      await this.cutBack(this.end);
      throw error;
    }
    this.end += bytes.length;
    return this.end;
  }

  /**
   * Forgets the bytes from `to` on (a line written for a change that then failed). Shrinking a
   * file needs no space; should it fail anyway, the next append cuts first (and fails if it cannot),
   * and a torn tail is dropped at start.
   */
  async cutBack(to: number): Promise<void> {
    this.end = to;
    try {
      await this.handle.truncate(to);
    } catch {
      this.dirty = true;
    }
  }

  /**
   * Replaces the log by its bytes from `from` on (what came after a compaction's snapshot): written
   * beside it, synced, renamed over it, then reopened. A crash leaves the old log or the new one.
   * Once renamed, the new log is the log, whatever fails after: lines go to it from then on.
   */
  async keepFrom(from: number): Promise<void> {
    const tail = Buffer.alloc(this.end - from);
    if (tail.length > 0) await this.handle.read(tail, 0, tail.length, from);
    const temp = `${this.path}.tmp`;
    const next = await open(temp, 'w+');
    try {
      await next.write(tail, 0, tail.length, 0);
      if (this.sync) await next.datasync();
      await renameInPlace(temp, this.path, this.sync, this.unsynced);
    } catch (error) {
      await next.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      throw error;
    }
    const old = this.handle;
    this.handle = next;
    this.end = tail.length;
    this.dirty = false;
    await old.close().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Told that `file` was renamed in (committed) but its folder could not be synced: a power cut may undo it. */
export type Unsynced = (file: string, error: unknown) => void;

/**
 * Renames `temp` over `file`: the commit point of a whole-file write. A failure of the rename
 * itself is thrown (nothing changed); a folder sync failing after it goes to `unsynced`, never
 * thrown, since the file already holds the new text and a caller told "failed" would undo it.
 */
export async function renameInPlace(temp: string, file: string, sync: boolean, unsynced: Unsynced): Promise<void> {
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  if (sync) await syncFolder(dirname(file)).catch((error: unknown) => unsynced(file, error));
}

/** Makes a rename in `folder` durable (a power cut after it keeps the new name). */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
