// A write is committed exactly when its rename succeeded (issue 17, finding 3): what fails after that
// point (the folder's fsync) must not be reported as "nothing changed", nor undo what is in place.
// Faults are injected at the OS boundary: a folder's fsync fails as EIO when a test says so.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import * as fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Policy, StoreData } from '../../src/domain/model.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { seedData } from '../../src/world/seed.js';

/** The outcome of each coming folder fsync, in order ('fail': EIO); empty: every one succeeds. */
const folderSyncs: Array<'ok' | 'fail'> = [];

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  const open: typeof real.open = async (...args) => {
    const handle = await real.open(...args);
    if ((await handle.stat()).isDirectory()) {
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        if (folderSyncs.shift() === 'fail') throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        return sync();
      };
    }
    return handle;
  };
  return { ...real, open, default: { ...real, open } };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'commit-point-'));
  folderSyncs.length = 0;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const seed = () => seedData(9, { pods: 20, jobs: 4, policies: 6 });
const NEVER = { compactBytes: Number.MAX_SAFE_INTEGER, compactEveryMs: 0 };
const open = (file: string, notices: string[] = []) => openStore({ file, seed, notice: (m) => notices.push(m), dbFile: NEVER });

let n = 0;
const policy = (base: Policy, name: string): Policy => ({
  ...base,
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  resourceName: name,
});
const ordered = (data: StoreData) => data.policies.map((p) => `${p.id}:${p.resourceName}`);

/** What a kill -9 right now would leave, copied to a folder of its own. */
async function crashImage(file: string): Promise<string> {
  const copy = path.join(await mkdtemp(path.join(dir, 'image-')), 'db.json');
  await copyFile(file, copy);
  if (existsSync(`${file}.log`)) await copyFile(`${file}.log`, `${copy}.log`);
  return copy;
}

async function storeWithLog(notices: string[]): Promise<{ file: string; store: Store }> {
  const file = path.join(dir, 'db.json');
  const store = await open(file, notices);
  for (const name of ['a', 'b', 'c']) await store.putPolicy(policy(store.policies[0]!, name));
  return { file, store };
}

describe('the commit point of a --db write is its rename', () => {
  it('a reset renamed in whose folder fsync fails is acknowledged, and the files reopen to it (not to it plus the old log)', async () => {
    const notices: string[] = [];
    const { file, store } = await storeWithLog(notices);
    const reset = seedData(5, { pods: 20, jobs: 4, policies: 6 });
    folderSyncs.push('fail');
    await store.replaceAll(reset);
    expect(ordered(store.data)).toEqual(ordered(reset));
    expect(notices).toContainEqual(
      expect.stringMatching(/db\.json was written, but its folder could not be synced \(EIO\); the change is kept/),
    );
    const reopened = await open(await crashImage(file));
    expect(ordered(reopened.data)).toEqual(ordered(reset));
    // Writes after it land on it, in the file as in memory.
    await store.putPolicy(policy(store.policies[0]!, 'after the reset'));
    const again = await open(await crashImage(file));
    expect(ordered(again.data)).toEqual(ordered(store.data));
    await Promise.all([store.close(), reopened.close(), again.close()]);
  });

  it('a log cut renamed in whose folder fsync fails keeps every later write in the log that is in place', async () => {
    const notices: string[] = [];
    const { file, store } = await storeWithLog(notices);
    // A reset writes the file (first folder fsync) and cuts the log (second, failing here).
    folderSyncs.push('ok', 'fail');
    await store.replaceAll(seed());
    for (const name of ['d', 'e']) await store.putPolicy(policy(store.policies[0]!, name));
    expect(notices).toContainEqual(expect.stringMatching(/db\.json\.log was written, but its folder could not be synced/));
    const reopened = await open(await crashImage(file));
    expect(ordered(reopened.data)).toEqual(ordered(store.data));
    await Promise.all([store.close(), reopened.close()]);
  });

  it('a compaction renamed in whose folder fsync fails is done: the log is cut, the files reopen exactly', async () => {
    const notices: string[] = [];
    const { file, store } = await storeWithLog(notices);
    folderSyncs.push('fail');
    await store.close();
    expect(existsSync(`${file}.log`)).toBe(false);
    const reopened = await open(file);
    expect(ordered(reopened.data)).toEqual(ordered(store.data));
    await reopened.close();
  });

  it('a new --db file renamed in whose folder fsync fails opens (it is there), saying so', async () => {
    const notices: string[] = [];
    folderSyncs.push('fail');
    const file = path.join(dir, 'new.json');
    const store = await open(file, notices);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(store.data);
    expect(notices).toEqual([expect.stringMatching(/new\.json was written, but its folder could not be synced/)]);
    await store.close();
  });
});
