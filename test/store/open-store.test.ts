import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedData } from '../../src/world/seed.js';
import { openStore } from '../../src/store/open-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'store-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const seed = () => seedData(9, { pods: 20, jobs: 4 });

describe('openStore', () => {
  it('keeps the store in memory by default', async () => {
    const store = await openStore({ seed });
    expect(store.data).toEqual(seed());
    await store.settled();
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates a missing file from the seed', async () => {
    const file = path.join(dir, 'db.json');
    await openStore({ file, seed });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(seed());
  });

  it('creates the missing folders of a new file, as docs/flags.md says', async () => {
    const file = path.join(dir, 'demo', 'data', 'db.json');
    const store = await openStore({ file, seed });
    await store.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(seed());
  });

  it('restores exactly what was persisted when the file is reopened', async () => {
    const file = path.join(dir, 'db.json');
    const store = await openStore({ file, seed });
    const policy = { ...store.policies[0]!, id: '11111111-1111-4111-8111-111111111111', heartbeatTime: 42 };
    await store.putPolicy(policy);
    await store.close();
    const reopened = await openStore({ file, seed: () => seedData(123) });
    expect(reopened.data).toEqual(store.data);
    expect(reopened.policy(policy.id)).toEqual(policy);
    await reopened.close();
    // steno writes through a temp file and renames it, and the lock goes with the store: nothing
    // is left beside the store.
    expect(await readdir(dir)).toEqual(['db.json']);
  });

  it.each([
    ['not JSON', '{bad', 'is not valid JSON'],
    ['empty', '', 'is not valid JSON'],
    ['someone else’s JSON', '[1,2]', 'is not a mock store (/ must be object)'],
    ['null', 'null', 'is not a mock store'],
    ['0', '0', 'is not a mock store'],
    ['a store without policies', JSON.stringify({ ...seedData(1), policies: undefined }), "must have required property 'policies'"],
    ['a store whose pod points at no namespace', JSON.stringify({ ...seedData(1), namespaces: [] }), '/pods/0/namespaceId no namespace'],
  ])('refuses a file that is %s and leaves it untouched', async (_what, contents, message) => {
    const file = path.join(dir, 'db.json');
    await writeFile(file, contents);
    await expect(openStore({ file, seed })).rejects.toThrowError(message);
    expect(await readFile(file, 'utf8')).toBe(contents);
  });

  it('creates the folders of a new file, as `--db .tmp/demo.json` on a fresh clone needs', async () => {
    const file = path.join(dir, 'a', 'b', 'db.json');
    const store = await openStore({ file, seed });
    await store.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(seed());
  });

  it('names the problem when the file cannot be created or is a directory', async () => {
    await writeFile(path.join(dir, 'plain-file'), '');
    await expect(openStore({ file: path.join(dir, 'plain-file', 'db.json'), seed })).rejects.toThrowError(
      'db.json cannot be read (ENOTDIR)',
    );
    await expect(openStore({ file: dir, seed })).rejects.toThrowError(`${dir} is a directory`);
  });
});
