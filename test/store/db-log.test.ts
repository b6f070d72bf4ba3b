// The --db file and its log (issue #11): a write costs a log line, the log is replayed at start and
// compacted into the JSON file, and every crash window leaves files that reopen to what was
// acknowledged. A "crash" is a copy of the two files taken at that moment, opened elsewhere.
import { appendFile, copyFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy, StoreData } from '../../src/domain/model.js';
import { openStore, type OpenStoreOptions } from '../../src/store/open-store.js';
import { storeText, textHash } from '../../src/store/store-text.js';
import { PersistError, type Store } from '../../src/store/store.js';
import { seedData } from '../../src/world/seed.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'db-log-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const seed = () => seedData(9, { pods: 20, jobs: 4, policies: 6 });
/** Compaction only when asked (close), unless a test says otherwise. */
const NEVER = { compactBytes: Number.MAX_SAFE_INTEGER, compactEveryMs: 0 };

async function open(file: string, more: Partial<OpenStoreOptions> = {}, notices: string[] = []): Promise<Store> {
  return openStore({ file, seed, notice: (m) => notices.push(m), ...more, dbFile: { ...NEVER, ...more.dbFile } });
}

let n = 0;
const policy = (base: Policy, name = `p-${n}`): Policy => ({
  ...base,
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  resourceName: name,
});

/** What a kill -9 right now would leave: the JSON file and its log, copied to a folder of their own. */
async function crashImage(file: string): Promise<string> {
  const image = await mkdtemp(path.join(dir, 'image-'));
  const copy = path.join(image, 'db.json');
  await copyFile(file, copy);
  if (existsSync(`${file}.log`)) await copyFile(`${file}.log`, `${copy}.log`);
  return copy;
}

/** A mix of creates, updates and deletes, including a re-create after a delete (list order matters). */
async function mixedWrites(store: Store): Promise<void> {
  const base = store.policies[0]!;
  const a = policy(base, 'a');
  const b = policy(base, 'b');
  await Promise.all([store.putPolicy(a), store.putPolicy(b)]);
  await store.putPolicy({ ...a, heartbeatTime: 99 });
  await store.removePolicy(store.policies[1]!.id);
  await store.removePolicy(a.id);
  await store.putPolicy({ ...a, resourceName: 'a again' });
  await store.putPolicy(policy(base, 'c'));
}

const ordered = (data: StoreData) => data.policies.map((p) => `${p.id}:${p.resourceName}:${p.heartbeatTime}`);

describe('the --db log', () => {
  it('writes the file as lowdb does, hashed as the log names it', async () => {
    const data = seed();
    const { parts, hash, length } = await storeText(data);
    const text = JSON.stringify(data, null, 2);
    expect(parts.join('')).toBe(text);
    expect(length).toBe(text.length);
    expect(hash).toBe(textHash(text));
  });

  it('appends one line per batch and leaves the JSON file alone until it compacts', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    const before = await readFile(file, 'utf8');
    await mixedWrites(store);
    expect(await readFile(file, 'utf8')).toBe(before);
    const lines = (await readFile(`${file}.log`, 'utf8')).trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(lines.length).toBeLessThanOrEqual(7); // the first two creates may share a batch
    expect(JSON.parse(lines[0]!)).toMatchObject({
      seq: expect.any(Number),
      changes: expect.arrayContaining([{ put: expect.objectContaining({ resourceName: 'a' }) }]),
    });
    await store.close();
  });

  it('replays after a crash exactly what was acknowledged, in list order, then compacts it into the file', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    await mixedWrites(store);
    const image = await crashImage(file);
    const notices: string[] = [];
    const reopened = await open(image, {}, notices);
    expect(ordered(reopened.data)).toEqual(ordered(store.data));
    expect(notices).toEqual([expect.stringMatching(/replayed 7 changes from .*db\.json\.log/)]);
    await reopened.close();
    // A clean stop leaves the JSON file whole and no log.
    expect(ordered(JSON.parse(await readFile(image, 'utf8')) as StoreData)).toEqual(ordered(store.data));
    expect(existsSync(`${image}.log`)).toBe(false);
    await store.close();
  });

  it('compacts at close: the JSON file holds everything, the log is gone, a restart is exact', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    await mixedWrites(store);
    await store.close();
    expect(await readdir(dir)).toEqual(['db.json']);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(store.data);
    const again = await open(file);
    expect(again.data).toEqual(store.data);
    // And after a restart, more writes, a crash: both runs' writes are there.
    await again.putPolicy(policy(again.policies[0]!, 'second run'));
    const reopened = await open(await crashImage(file));
    expect(ordered(reopened.data)).toEqual(ordered(again.data));
    await Promise.all([again.close(), reopened.close()]);
  });

  it('compacts in the background once the log is large, and keeps writes that came in meanwhile', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file, { dbFile: { compactBytes: 2000, compactEveryMs: 0 } });
    const jsonBefore = (await stat(file)).mtimeMs;
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) writes.push(store.putPolicy(policy(store.policies[0]!, `bg-${i}`)));
    await Promise.all(writes);
    for (let i = 0; i < 20; i++) await store.putPolicy(policy(store.policies[0]!, `bg-late-${i}`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await stat(file)).mtimeMs).toBeGreaterThan(jsonBefore);
    // The log was cut: far less than 220 creates' worth of lines.
    expect((await stat(`${file}.log`)).size).toBeLessThan(220 * 400);
    const reopened = await open(await crashImage(file));
    expect(ordered(reopened.data)).toEqual(ordered(store.data));
    await Promise.all([store.close(), reopened.close()]);
  });

  it('drops a torn last line (a write never acknowledged), saying so', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    await mixedWrites(store);
    const image = await crashImage(file);
    await appendFile(`${image}.log`, '{"seq":99,"changes":[{"put":{"id":"00000000-0000-4000-8000-0000000');
    const notices: string[] = [];
    const reopened = await open(image, {}, notices);
    expect(ordered(reopened.data)).toEqual(ordered(store.data));
    expect(notices).toContainEqual(expect.stringMatching(/db\.json\.log: dropped 66 bytes of a last line cut short/));
    // The next write starts on a clean line.
    await reopened.putPolicy(policy(reopened.policies[0]!, 'after the tear'));
    const again = await open(await crashImage(image));
    expect(ordered(again.data)).toEqual(ordered(reopened.data));
    await Promise.all([store.close(), reopened.close(), again.close()]);
  });

  it.for([
    ['not JSON', '{"seq":3,"changes":[{"put":', 'line 2 is not JSON'],
    ['not a change', '{"seq":3,"changes":[{"patch":{}}]}', 'line 2 holds a change that is neither'],
    ['out of order', '{"seq":1,"changes":[]}', 'line 2 has seq 1'],
  ])('refuses to start on a log line in the middle that is %s, and touches neither file', async ([, bad, message]) => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    await mixedWrites(store);
    const image = await crashImage(file);
    const lines = (await readFile(`${image}.log`, 'utf8')).split('\n');
    lines.splice(1, 0, bad!);
    await writeFile(`${image}.log`, lines.join('\n'));
    const [json, log] = [await readFile(image, 'utf8'), await readFile(`${image}.log`, 'utf8')];
    await expect(open(image)).rejects.toThrowError(
      new RegExp(`db\\.json\\.log ${message!.replace(/[()]/g, '\\$&')}.*refusing to start, both files were left untouched$`),
    );
    expect([await readFile(image, 'utf8'), await readFile(`${image}.log`, 'utf8')]).toEqual([json, log]);
    // And a second mock may open it once fixed (the lock was let go).
    await store.close();
  });

  it('refuses a log whose replay breaks the store (a put into a cluster the file does not have)', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    await store.putPolicy(policy(store.policies[0]!));
    const image = await crashImage(file);
    const data = JSON.parse(await readFile(image, 'utf8')) as StoreData;
    await writeFile(image, JSON.stringify({ ...data, policies: [] }));
    const line = JSON.parse((await readFile(`${image}.log`, 'utf8')).trim()) as { changes: Array<{ put: Policy }> };
    line.changes[0]!.put.clusterId = '99999999-0000-4000-8000-000000000000';
    await writeFile(`${image}.log`, `${JSON.stringify(line)}\n`);
    await expect(open(image)).rejects.toThrowError(
      /db\.json with .*db\.json\.log replayed is not a mock store \(\/policies\/0\/clusterId no cluster/,
    );
    await store.close();
  });

  it('applies a log left by a crash on top of a JSON file the user edited meanwhile', async () => {
    const file = path.join(dir, 'db.json');
    const store = await open(file);
    await mixedWrites(store);
    const image = await crashImage(file);
    const data = JSON.parse(await readFile(image, 'utf8')) as StoreData;
    const untouched = store.policies[0]!;
    data.policies = data.policies.map((p) => (p.id === untouched.id ? { ...p, resourceName: 'edited by hand' } : p));
    await writeFile(image, JSON.stringify(data, null, 2));
    const reopened = await open(image);
    expect(reopened.policy(untouched.id)?.resourceName).toBe('edited by hand');
    expect(ordered(reopened.data).filter((p) => !p.startsWith(untouched.id))).toEqual(
      ordered(store.data).filter((p) => !p.startsWith(untouched.id)),
    );
    await Promise.all([store.close(), reopened.close()]);
  });

  describe('a crash in each step of a compaction', () => {
    it.for(['checkpoint', 'rename', 'cut-log'] as const)(
      'before %s: the files reopen to every acknowledged write, in order',
      async (step) => {
        const file = path.join(dir, 'db.json');
        let crash = false;
        const store = await open(file, {
          dbFile: {
            step: (at) => {
              if (crash && at === step) throw new Error(`crash before ${at}`);
            },
          },
        });
        await mixedWrites(store);
        crash = true;
        // The compaction at close stops at `step`: what is on disk then is what a kill -9 there leaves.
        if (step === 'cut-log') await store.close();
        else await expect(store.close()).rejects.toThrowError(`crash before ${step}`);
        const image = await crashImage(file);
        const reopened = await open(image);
        expect(ordered(reopened.data)).toEqual(ordered(store.data));
        // Replaying twice would put "a again" after "c": the checkpoint says the file already holds it.
        await reopened.close();
        expect(ordered(JSON.parse(await readFile(image, 'utf8')) as StoreData)).toEqual(ordered(store.data));
      },
    );

    it('a reset whose file write fails changes nothing and leaves no checkpoint claiming it', async () => {
      const file = path.join(dir, 'db.json');
      let fail = false;
      const store = await open(file, {
        dbFile: {
          step: (at) => {
            if (fail && at === 'rename') throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
        },
      });
      await mixedWrites(store);
      const before = ordered(store.data);
      const logBefore = await readFile(`${file}.log`, 'utf8');
      fail = true;
      // Resetting to what the file holds now: a checkpoint left behind would name the file.
      const fileData = JSON.parse(await readFile(file, 'utf8')) as StoreData;
      await expect(store.replaceAll(fileData)).rejects.toBeInstanceOf(PersistError);
      expect(ordered(store.data)).toEqual(before);
      expect(await readFile(`${file}.log`, 'utf8')).toBe(logBefore);
      const reopened = await open(await crashImage(file));
      expect(ordered(reopened.data)).toEqual(before);
      fail = false;
      await Promise.all([store.close(), reopened.close()]);
    });
  });
});
