// A failed write changes nothing, in memory or in the file (issue "Hardening", finding 2).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JSONFile } from 'lowdb/node';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { seedData } from '../../src/world/seed.js';
import type { StoreData } from '../../src/domain/model.js';
import { startSimulation } from '../../src/store/simulation.js';
import { Store, type Persistence } from '../../src/store/store.js';
import { readFixture } from '../helpers/fixtures.js';
import { mockApp } from '../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');
const jobsBody = readFixture<Record<string, unknown>>('requests/valid/create-jobs-all.json');

/** lowdb's JSON file adapter, with a switch that makes its writes fail as a full disk does. */
async function flakyFile(ctx: { onTestFinished(fn: () => Promise<void>): void }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'failed-writes-'));
  ctx.onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'db.json');
  const adapter = new JSONFile<StoreData>(file);
  const state = { full: false, writes: 0 };
  const persistence: Persistence = {
    async write(data) {
      if (state.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      await adapter.write(data);
      state.writes++;
    },
    close: async () => {},
  };
  const initial = seedData();
  await adapter.write(initial);
  const store = new Store(initial, persistence);
  const onDisk = async () => readFile(file, 'utf8');
  return { store, state, onDisk };
}

describe('a write that cannot be persisted', () => {
  it.for<[string, (m: Mock) => request.Test]>([
    ['create', (m: Mock) => m.post('/v2/policy/create', body)],
    ['update', (m: Mock) => m.post('/v2/policy/update', { ...body, id: m.store.policies[0]!.id, heartbeat_time: 7 })],
    ['delete', (m: Mock) => m.del('/v2/policy/delete', { id: m.store.policies[0]!.id })],
    ['sync-jobs', (m: Mock) => m.post('/v2/policy/sync-jobs')],
  ])('answers %s with its declared 500 and changes neither memory nor file', async ([, send], ctx) => {
    const disk = await flakyFile(ctx);
    const mock = await mockApp({ store: disk.store });
    const memoryBefore = JSON.stringify(mock.store.data);
    const fileBefore = await disk.onDisk();
    const listBefore = (await mock.get('/v2/policy/list')).text;
    disk.state.full = true;
    const res = await send(mock);
    expect(res.status).toBe(500);
    expect(res.body === undefined || res.text === '' || res.body.code === '500').toBe(true);
    expect(JSON.stringify(mock.store.data)).toBe(memoryBefore);
    expect(await disk.onDisk()).toBe(fileBefore);
    expect((await mock.get('/v2/policy/list')).text).toBe(listBefore);
    // The next write that succeeds carries only itself: no ghost of the failed one.
    disk.state.full = false;
    const created = await mock.post('/v2/policy/create', jobsBody);
    expect(created.status).toBe(200);
    const stored = JSON.parse(await disk.onDisk()) as StoreData;
    expect(stored.policies.map((p) => p.id)).toEqual([...JSON.parse(memoryBefore).policies.map((p: { id: string }) => p.id), created.text]);
  });

  it.for<[string, (m: Mock) => request.Test]>([
    ['reset', (m: Mock) => request(m.app).post('/__admin/reset').send({ seed: 5 })],
    ['state PUT', (m: Mock) => request(m.app).put('/__admin/state').send(seedData(8))],
  ])('answers the admin %s with a 500 ApiError and changes nothing', async ([, send], ctx) => {
    const disk = await flakyFile(ctx);
    const mock = await mockApp({ store: disk.store });
    const before = JSON.stringify(mock.store.data);
    const fileBefore = await disk.onDisk();
    disk.state.full = true;
    const res = await send(mock);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: '500', message: expect.stringContaining('nothing changed') });
    expect(JSON.stringify(mock.store.data)).toBe(before);
    expect(await disk.onDisk()).toBe(fileBefore);
  });

  it('leaves a simulation step unapplied, in memory and in the file', async (ctx) => {
    const disk = await flakyFile(ctx);
    const before = JSON.stringify(disk.store.data);
    const fileBefore = await disk.onDisk();
    disk.state.full = true;
    const errors: unknown[] = [];
    const simulation = startSimulation(() => [disk.store], { tickMs: 60_000, onError: (e) => errors.push(e) });
    ctx.onTestFinished(() => simulation.stop());
    simulation.step();
    await disk.store.settled();
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(1);
    expect(simulation.ticksOf(disk.store)).toBe(0);
    expect(JSON.stringify(disk.store.data)).toBe(before);
    expect(await disk.onDisk()).toBe(fileBefore);
  });

  it('writes the creates that arrive together in one write, each acknowledged once it is in the file', async (ctx) => {
    const disk = await flakyFile(ctx);
    const mock = await mockApp({ store: disk.store });
    const answers = await Promise.all(Array.from({ length: 50 }, () => mock.post('/v2/policy/create', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(disk.state.writes).toBeLessThan(50);
    const stored = JSON.parse(await disk.onDisk()) as StoreData;
    expect(stored.policies.map((p) => p.id)).toEqual(expect.arrayContaining(answers.map((a) => a.text)));
  });

  it('refuses, within one batch, the second create of one explicit id', async (ctx) => {
    const disk = await flakyFile(ctx);
    const mock = await mockApp({ store: disk.store });
    const id = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const answers = await Promise.all([mock.post('/v2/policy/create', { ...body, id }), mock.post('/v2/policy/create', { ...body, id })]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(mock.store.policies.filter((p) => p.id === id)).toHaveLength(1);
  });
});

type Mock = Awaited<ReturnType<typeof mockApp>>;
