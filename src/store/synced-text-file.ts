import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { syncFolder } from './db-log.js';

/**
 * lowdb's TextFile adapter (a temp file `.FILE.tmp` renamed over the file, so the file is always one
 * whole version), with, when `sync`, the temp file's data flushed before the rename and the rename
 * flushed after it: a power cut then leaves the old file or the new one, never an empty one. (The
 * log is cut only after that, so it must be.)
 */
export class SyncedTextFile implements Adapter<string | readonly string[]> {
  readonly temp: string;

  constructor(
    readonly file: string,
    private readonly sync: boolean,
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
    const handle = await open(this.temp, 'w');
    try {
      for (const part of typeof text === 'string' ? [text] : text) await handle.write(part, null, 'utf8');
      if (this.sync) await handle.datasync();
    } catch (error) {
      await handle.close();
      await rm(this.temp, { force: true });
      throw error;
    }
    await handle.close();
    await rename(this.temp, this.file);
    if (this.sync) await syncFolder(dirname(this.file));
  }
}
