// --db through a symlink (issue 17, finding 10): the path is resolved once, so compaction writes the
// real file (the link stays a link) and the lock is the real file's (a mock on the real path is
// refused while one runs through the link).
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Policy, StoreData } from '../../src/domain/model.js';
import { openStore } from '../../src/store/open-store.js';
import { seedData } from '../../src/world/seed.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'db-symlink-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const seed = () => seedData(9, { pods: 20, jobs: 4, policies: 6 });
const open = (file: string) => openStore({ file, seed, dbFile: { compactBytes: Number.MAX_SAFE_INTEGER, compactEveryMs: 0 } });
const named = (base: Policy, resourceName: string, n: number): Policy => ({
  ...base,
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  resourceName,
});
const names = (data: StoreData) => data.policies.map((p) => p.resourceName);

describe('--db through a symlink', () => {
  it.for([
    ['to a file there', true],
    ['to a file not there yet', false],
  ] as const)('%s: compaction writes the real file, the link stays a link, the real path is locked', async ([, exists]) => {
    const real = path.join(dir, 'data', 'db.json');
    await mkdir(path.dirname(real));
    if (exists) await (await open(real)).close();
    const link = path.join(dir, 'link.json');
    await symlink(path.relative(dir, real), link);

    const store = await open(link);
    await store.putPolicy(named(store.policies[0]!, 'through the link', 1));
    await expect(open(real)).rejects.toThrowError(/in use|already open/);
    await store.close(); // compacts into the file

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(names(JSON.parse(await readFile(real, 'utf8')) as StoreData)).toContain('through the link');
    // Nothing of the store's beside the link: no log, lock or temp file under its name.
    expect((await readdir(dir)).sort()).toEqual(['data', 'link.json']);
    const again = await open(real);
    expect(names(again.data)).toContain('through the link');
    await again.close();
  });
});
