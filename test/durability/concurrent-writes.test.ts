// Many writes at once, over real HTTP: none lost, none doubled, and in file mode each one is on
// disk before it is acknowledged (in the log beside the file; writes that queue up behind a
// running one go together in its next line, which must still carry every one of them).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'vitest';
import { startServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import { seedData } from '../../src/world/seed.js';
import { fixtureFolder } from '../helpers/fixtures.js';

const AUTH = { Authorization: 'Bearer durability' };
const VALID = fixtureFolder<Record<string, unknown>>('requests/valid').map(([, body]) => body);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONCURRENT = 1000;

async function listIds(url: string): Promise<{ id: string; resource: string }[]> {
  const res = await fetch(`${url}/v2/policy/list`, { headers: AUTH });
  if (res.status !== 200) throw new Error(`list answered ${res.status}`);
  return (await res.json()) as { id: string; resource: string }[];
}

/** Fires every create at once; resolves with each answer, in the order of `names`. */
function createAll(url: string, names: string[]): Promise<{ status: number; text: string }[]> {
  return Promise.all(
    names.map(async (name, i) => {
      const res = await fetch(`${url}/v2/policy/create`, {
        method: 'POST',
        headers: { ...AUTH, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...VALID[i % VALID.length], resource_name: name }),
      });
      return { status: res.status, text: (await res.text()).trim() };
    }),
  );
}

async function tempFile(ctx: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cedana-durability-'));
  ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'store.json');
}

describe('concurrent writes', () => {
  it.for([
    { mode: 'in memory', file: false },
    { mode: 'in a --db file', file: true },
  ])(
    `${CONCURRENT} concurrent creates ($mode): ${CONCURRENT} acknowledged, distinct ids, and exactly those are new in the list`,
    { timeout: 60_000 },
    async ({ file }, ctx) => {
      const { expect } = ctx;
      const db = file ? await tempFile(ctx) : undefined;
      const server = await startServer({ port: 0, ...(db ? { db } : {}) });
      ctx.onTestFinished(() => server.close());
      const before = await listIds(server.url);

      const names = Array.from({ length: CONCURRENT }, (_, i) => `concurrent-${i}`);
      const answers = await createAll(server.url, names);

      const refused = answers.filter((a) => a.status !== 200);
      expect(refused, JSON.stringify(refused.slice(0, 3))).toEqual([]);
      const ids = answers.map((a) => a.text);
      expect(ids.filter((id) => !UUID.test(id))).toEqual([]);
      expect(new Set(ids).size).toBe(CONCURRENT);

      const after = await listIds(server.url);
      const beforeIds = new Set(before.map((p) => p.id));
      const added = after.filter((p) => !beforeIds.has(p.id)).map((p) => p.id);
      expect(after).toHaveLength(before.length + CONCURRENT);
      expect(new Set(added)).toEqual(new Set(ids));
      // Each id is the policy its own request created (no answers crossed).
      const byId = new Map(server.store.policies.map((p) => [p.id, p.resourceName]));
      expect(ids.map((id) => byId.get(id))).toEqual(names);

      if (db) {
        // Acknowledged means written: the log beside the file holds every one, before any
        // shutdown compaction, in far fewer lines than creates (group commit).
        const lines = (await readFile(`${db}.log`, 'utf8'))
          .trimEnd()
          .split('\n')
          .map((l) => JSON.parse(l) as { changes?: { put?: { id: string } }[] });
        const storedIds = new Set(lines.flatMap((l) => l.changes ?? []).map((c) => c.put?.id));
        expect(ids.filter((id) => !storedIds.has(id))).toEqual([]);
        expect(lines.length).toBeLessThan(CONCURRENT);
        // And a reopened store serves them (once this one let go of the file: one writer per file).
        await server.close();
        const reopened = await openStore({ file: db, seed: () => seedData() });
        expect(reopened.policies).toHaveLength(before.length + CONCURRENT);
        await reopened.close();
      }
    },
  );
});
