import { open, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { renameInPlace, type Unsynced } from './db-log.js';

/**
 * lowdb's TextFile adapter (a temp file `.FILE.tmp` renamed over the file, so the file is always one
 * whole version), with, when `sync`, the temp file's data flushed before the rename and the rename
 * flushed after it: a power cut then leaves the old file or the new one, never an empty one. (The
 * log is cut only after that, so it must be.)
 *
 * The rename is the commit point: `write` rejects only for what failed before it (the file is then
 * as it was); a folder sync failing after it goes to `unsynced` (the file holds the new text).
 */
export class SyncedTextFile implements Adapter<string | readonly string[]> {
  readonly temp: string;

  constructor(
    readonly file: string,
    private readonly sync: boolean,
    private readonly unsynced: Unsynced = () => {},
  ) {
    this.temp = join(dirname(file), `.${basename(file)}.tmp`);
  }

  async read(): Promise<string | readonly string[] | null> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  /** Writes `text`, or its pieces one after the other (no one string of the whole file). */
  async write(text: string | readonly string[]): Promise<void> {
    try {
      const handle = await open(this.temp, 'w');
      try {
        for (const part of typeof text === 'string' ? [text] : text) await handle.write(part, null, 'utf8');
        if (this.sync) await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(this.temp, { force: true }).catch(() => undefined);
      throw error;
    }
    await renameInPlace(this.temp, this.file, this.sync, this.unsynced);
  }
}
