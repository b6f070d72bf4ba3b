// Every way a store ends gives back what it held (issue 17, finding 7: `DELETE
// /__admin/sessions?name=X` skipped disposal, so --max-data stayed full with no session alive).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { DataBudget } from '../../src/store/data-budget.js';
import { memoryStore } from '../../src/store/open-store.js';
import { SessionRegistry } from '../../src/store/session-registry.js';
import { seedData } from '../../src/world/seed.js';
import { readFixture } from '../helpers/fixtures.js';
import { AUTH, mockApp, type MockApp } from '../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const MB = 1024 ** 2;
const big = { ...body, resource_name: 'z'.repeat(900_000) };

/** Fills --max-data from session `name`, then shows the default store is refused a create. */
async function fill(mock: MockApp, name: string): Promise<void> {
  let made = 0;
  while ((await request(mock.app).post('/v2/policy/create').set(AUTH).set('X-Mock-Session', name).send(big)).status === 200) made++;
  expect(made).toBeGreaterThan(0);
  expect((await mock.post('/v2/policy/create', big)).status).toBe(400);
}

describe('a session that ends gives its --max-data room back', () => {
  it('when dropped by name (the inspector\'s "drop")', async () => {
    const mock = await mockApp({ maxDataBytes: 8 * MB });
    await fill(mock, 'dropped');
    expect((await request(mock.app).delete('/__admin/sessions?name=dropped')).status).toBe(200);
    expect((await mock.post('/v2/policy/create', big)).status).toBe(200);
  });

  it('when all sessions are dropped', async () => {
    const mock = await mockApp({ maxDataBytes: 8 * MB });
    await fill(mock, 'cleared');
    expect((await request(mock.app).delete('/__admin/sessions')).status).toBe(200);
    expect((await mock.post('/v2/policy/create', big)).status).toBe(200);
  });

  it('when it expires, even if only the default store is used afterwards', async () => {
    // An idle time a busy machine cannot pass while the session is being filled.
    const mock = await mockApp({ maxDataBytes: 8 * MB, sessions: { idleMs: 1_500 } });
    await fill(mock, 'idle');
    await new Promise((resolve) => setTimeout(resolve, 1_800));
    expect((await mock.post('/v2/policy/create', big)).status).toBe(200);
    expect(mock.sessions.names()).toEqual([]);
  });

  it('when it is reset to the seed', async () => {
    const mock = await mockApp({ maxDataBytes: 8 * MB });
    await fill(mock, 'reset');
    expect((await request(mock.app).post('/__admin/reset').set('X-Mock-Session', 'reset')).status).toBe(200);
    expect((await mock.post('/v2/policy/create', big)).status).toBe(200);
  });

  it('at shutdown, every store (the default one too) gives back all it held', async () => {
    const budget = new DataBudget(64 * MB);
    const ended: unknown[] = [];
    const registry = new SessionRegistry(
      memoryStore(seedData(), budget),
      () => memoryStore(seedData(), budget),
      { max: 10, idleMs: 60_000 },
      Date.now,
      (store) => ended.push(store),
    );
    for (const name of ['a', 'b', 'c'])
      await registry
        .resolve(name)
        .putPolicy({ ...registry.defaultStore.policies[0]!, id: `${name}0000000-0000-4000-8000-000000000000`.slice(-36) });
    expect(budget.used).toBeGreaterThan(0);
    registry.close();
    expect(budget.used).toBe(0);
    expect(ended).toHaveLength(4);
    expect(registry.names()).toEqual([]);
  });
});
