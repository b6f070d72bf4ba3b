// The store's document lives in a lowdb Low (issue 21 §1): lowdb's Memory adapter in memory, DbFile
// with --db, and every whole-document read and write goes through Low.read() / Low.write().
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Low, Memory, type Adapter } from 'lowdb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Policy, StoreData } from '../../src/domain/model.js';
import { DbFile } from '../../src/store/db-file.js';
import { memoryStore, openStore } from '../../src/store/open-store.js';
import { Store } from '../../src/store/store.js';
import { seedData } from '../../src/world/seed.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'low-store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const seed = () => seedData(9, { pods: 20, jobs: 4, policies: 6 });
const other = () => seedData(5, { pods: 20, jobs: 4, policies: 3 });
const NEVER = { compactBytes: Number.MAX_SAFE_INTEGER, compactEveryMs: 0 };
const policy = (base: Policy, id: string): Policy => ({ ...base, id: `00000000-0000-4000-8000-${id.padStart(12, '0')}` });
const onDisk = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as StoreData;

describe('in memory, the store is a lowdb Low over its Memory adapter', () => {
  it('holds its document as Low.data', () => {
    const store = memoryStore(seed());
    expect(store.db).toBeInstanceOf(Low);
    expect(store.db.adapter).toBeInstanceOf(Memory);
    expect(store.data).toBe(store.db.data);
    expect(store.data).toEqual(seed());
  });

  it('hands a reset to Low.write: the Memory adapter reads back the new document', async () => {
    const store = memoryStore(seed());
    const write = vi.spyOn(store.db, 'write');
    await store.replaceAll(other());
    expect(write).toHaveBeenCalledTimes(1);
    expect(await store.db.adapter.read()).toEqual(other());
    expect(store.data).toEqual(other());
  });

  it('keeps a create in its indexed state, not a whole write; Low.data is the committed document when read', async () => {
    const store = memoryStore(seed());
    const write = vi.spyOn(store.db, 'write');
    const added = policy(store.policies[0]!, '1');
    await store.putPolicy(added);
    expect(write).not.toHaveBeenCalled();
    expect(store.data.policies.at(-1)).toEqual(added);
    expect(store.db.data).toBe(store.data);
  });
});

describe('with --db, the store is a lowdb Low over DbFile', () => {
  it('starts with Low.read (the file, checked, with its log replayed) and compacts that log with Low.write', async () => {
    const file = path.join(dir, 'db.json');
    const first = await openStore({ file, seed, dbFile: NEVER });
    const added = policy(first.policies[0]!, '2');
    await first.putPolicy(added);
    // What a kill -9 now leaves: the change is only in the log.
    const image = path.join(dir, 'image.json');
    await copyFile(file, image);
    await copyFile(`${file}.log`, `${image}.log`);
    await first.close();
    const read = vi.spyOn(Low.prototype, 'read');
    const write = vi.spyOn(Low.prototype, 'write');
    try {
      const reopened = await openStore({ file: image, seed: other, dbFile: NEVER });
      expect(read).toHaveBeenCalledTimes(1);
      expect(reopened.db.adapter).toBeInstanceOf(DbFile);
      expect(reopened.policy(added.id)).toEqual(added);
      expect(reopened.data).toEqual(first.data);
      // The replayed log is compacted into the file at once, with Low.write; the stop then has nothing to write.
      expect(write).toHaveBeenCalledTimes(1);
      await reopened.close();
      expect(write).toHaveBeenCalledTimes(1);
      expect(await onDisk(image)).toEqual(first.data);
      expect(existsSync(`${image}.log`)).toBe(false);
    } finally {
      read.mockRestore();
      write.mockRestore();
    }
  });

  it('creates a missing file with Low.write of the seed', async () => {
    const file = path.join(dir, 'new', 'db.json');
    const write = vi.spyOn(Low.prototype, 'write');
    try {
      const store = await openStore({ file, seed, dbFile: NEVER });
      expect(write).toHaveBeenCalledTimes(1);
      expect(await onDisk(file)).toEqual(seed());
      await store.close();
    } finally {
      write.mockRestore();
    }
  });

  it('writes a reset (a state PUT, a tick) with Low.write: the file holds it and the log is emptied', async () => {
    const file = path.join(dir, 'db.json');
    const store = await openStore({ file, seed, dbFile: NEVER });
    await store.putPolicy(policy(store.policies[0]!, '3'));
    const write = vi.spyOn(store.db, 'write');
    await store.replaceAll(other());
    expect(write).toHaveBeenCalledTimes(1);
    expect(await onDisk(file)).toEqual(other());
    expect(await readFile(`${file}.log`, 'utf8')).toBe('');
    await store.close();
  });

  it('logs a create (no whole write), and writes the document with Low.write at shutdown', async () => {
    const file = path.join(dir, 'db.json');
    const store = await openStore({ file, seed, dbFile: NEVER });
    const write = vi.spyOn(store.db, 'write');
    const added = policy(store.policies[0]!, '4');
    await store.putPolicy(added);
    expect(write).not.toHaveBeenCalled();
    expect(await readFile(`${file}.log`, 'utf8')).toContain(added.id);
    await store.close();
    expect(write).toHaveBeenCalledTimes(1);
    expect((await onDisk(file)).policies.at(-1)).toEqual(added);
    expect(existsSync(`${file}.log`)).toBe(false);
  });
});

describe('a whole write through Low.write', () => {
  it('right behind a compaction (which cuts the log first) empties the log, and reopens to itself', async () => {
    const file = path.join(dir, 'db.json');
    const first = await openStore({ file, seed, dbFile: NEVER });
    for (const id of ['5', '6', '7']) await first.putPolicy(policy(first.policies[0]!, id));
    const image = path.join(dir, 'image.json');
    await copyFile(file, image);
    await copyFile(`${file}.log`, `${image}.log`);
    await first.close();
    const notices: string[] = [];
    // Its replayed log starts a compaction at once; the reset is written after it, in turn.
    const store = await openStore({ file: image, seed, notice: (m) => notices.push(m), dbFile: NEVER });
    await store.replaceAll(other());
    expect(await readFile(`${image}.log`, 'utf8')).toBe('');
    await store.close();
    expect(notices.filter((m) => !m.includes('replayed'))).toEqual([]);
    const reopened = await openStore({ file: image, seed, dbFile: NEVER });
    expect(reopened.data).toEqual(other());
    await reopened.close();
  });

  /** A persistence whose writes wait for the test, to look at the store in the middle of one. */
  function gatedStore() {
    const gate: { open: () => void; fail: (error: Error) => void } = { open: () => {}, fail: () => {} };
    const store = new Store(seed(), {
      write: () => new Promise<void>((resolve, reject) => Object.assign(gate, { open: resolve, fail: reject })),
      close: async () => {},
    });
    return { store, gate };
  }

  it('shows readers the committed document until it is kept, then the new one', async () => {
    const { store, gate } = gatedStore();
    const reset = store.replaceAll(other());
    await vi.waitFor(() => expect(store.db.data).toEqual(other()));
    expect(store.data).toEqual(seed());
    gate.open();
    await reset;
    expect(store.data).toEqual(other());
    expect(store.db.data).toBe(store.data);
  });

  it('that fails leaves Low.data the committed document', async () => {
    const { store, gate } = gatedStore();
    const reset = store.replaceAll(other());
    await vi.waitFor(() => expect(store.db.data).toEqual(other()));
    gate.fail(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }));
    await expect(reset).rejects.toThrow(/could not be written/);
    expect(store.db.data).toEqual(seed());
    expect(store.data).toBe(store.db.data);
  });
});

describe("lowdb's Low, as the store relies on it", () => {
  it('hands its adapter the data it holds as write is called (DbFile places the document in the log then)', () => {
    const seen: string[] = [];
    const adapter: Adapter<{ v: string }> = {
      read: () => Promise.resolve(null),
      write: (data) => Promise.resolve(void seen.push(data.v)),
    };
    const low = new Low(adapter, { v: 'first' });
    void low.write();
    low.data = { v: 'second' };
    expect(seen).toEqual(['first']);
  });
});
