import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { seedData } from '../../src/world/seed.js';
import type { StoreData } from '../../src/domain/model.js';
import { openStore } from '../../src/store/open-store.js';
import { Store } from '../../src/store/store.js';
import type { ClusterData } from '../../src/world/seed-cluster.js';
import { runTicks } from '../../src/world/simulate-tick.js';
import { startSimulation, type Simulation } from '../../src/store/simulation.js';
import { monitoredIds } from '../../src/domain/monitored-ids.js';
import { snapshotProblems } from '../../src/store/snapshot.js';
import { sharedSeedData } from '../../src/world/seed.js';

const seed = () => seedData(4, { pods: 40, jobs: 8 });
const clusterOf = (data: Readonly<StoreData>): ClusterData => ({
  clusters: data.clusters,
  namespaces: data.namespaces,
  pods: data.pods,
  jobs: data.jobs,
});
const expected = (ticks: number) => runTicks(clusterOf(seed()), 4, 0, ticks, { keep: monitoredIds(seed().policies) });

let simulation: Simulation | undefined;
afterEach(() => {
  simulation?.stop();
  simulation = undefined;
  vi.useRealTimers();
});

describe('startSimulation', () => {
  it('keeps every pod and job a policy names alive, while the cluster still changes, and the store stays importable', async () => {
    vi.useFakeTimers();
    const start = sharedSeedData(1337, {});
    const store = await openStore({ seed: () => structuredClone(start) });
    // A jobs policy naming jobs, besides the seed's pods policy.
    const jobIds = start.jobs.slice(0, 3).map((j) => j.id);
    const jobsPolicy = {
      ...start.policies.find((p) => p.resource === 'jobs')!,
      id: '11111111-1111-4111-8111-111111111111',
      resourceIds: jobIds,
      jobFilter: null,
    };
    await store.putPolicy(jobsPolicy);
    const podIds = start.policies.find((p) => p.resource === 'pods')!.resourceIds;
    expect(podIds.length).toBeGreaterThan(0);
    simulation = startSimulation(() => [store], { tickMs: 2000 });
    // 90 s at --tick 2000 emptied the pods policy before; 300 ticks is ten minutes.
    vi.advanceTimersByTime(2000 * 300);
    const pods = new Set(store.data.pods.map((p) => p.id));
    const jobs = new Set(store.data.jobs.map((j) => j.id));
    expect(podIds.filter((id) => !pods.has(id))).toEqual([]);
    expect(jobIds.filter((id) => !jobs.has(id))).toEqual([]);
    // Still alive: other pods were replaced and other jobs collected.
    expect(start.pods.filter((p) => !pods.has(p.id)).length).toBeGreaterThan(5);
    expect(start.jobs.filter((j) => !jobs.has(j.id)).length).toBeGreaterThan(0);
    expect(snapshotProblems(store.data)).toEqual([]);
  });

  it('applies one tick per tickMs to the store, exactly as runTicks does, and stop() stops it', async () => {
    vi.useFakeTimers();
    const store = await openStore({ seed });
    simulation = startSimulation(() => [store], { seed: 4, tickMs: 1000 });
    vi.advanceTimersByTime(999);
    expect(simulation.ticks()).toBe(0);
    expect(store.data).toEqual(seed());

    vi.advanceTimersByTime(1);
    expect(simulation.ticks()).toBe(1);
    expect(clusterOf(store.data)).toEqual(expected(1));
    vi.advanceTimersByTime(29_000);
    expect(simulation.ticks()).toBe(30);
    expect(clusterOf(store.data)).toEqual(expected(30));
    expect(clusterOf(store.data)).not.toEqual(clusterOf(seed()));
    // Meta and policies are the API's, not the cluster's: untouched.
    expect(store.data.meta).toEqual(seed().meta);
    expect(store.data.policies).toEqual(seed().policies);
    expect(store.policy(seed().policies[0]!.id)).toEqual(seed().policies[0]);

    simulation.stop();
    const frozen = JSON.stringify(store.data);
    vi.advanceTimersByTime(10_000);
    expect(simulation.ticks()).toBe(30);
    expect(JSON.stringify(store.data)).toBe(frozen);
  });

  it('rebuilds the store index: new pods and jobs are found, gone ones are not', async () => {
    vi.useFakeTimers();
    const store = await openStore({ seed });
    const before = seed();
    simulation = startSimulation(() => [store], { seed: 4, tickMs: 100 });
    vi.advanceTimersByTime(100 * 200);
    const { pods, jobs } = store.data;
    expect(pods.some((p) => !before.pods.some((b) => b.id === p.id))).toBe(true);
    expect([...store.index.pods.keys()].sort()).toEqual(pods.map((p) => p.id).sort());
    expect([...store.index.jobs.keys()].sort()).toEqual(jobs.map((j) => j.id).sort());
    for (const job of jobs) expect(store.index.podsOfJob(job.id)).toEqual(pods.filter((p) => p.jobId === job.id));
    const gone = before.pods.filter((b) => !pods.some((p) => p.id === b.id));
    expect(gone.length).toBeGreaterThan(0);
    for (const pod of gone) expect(store.index.pods.has(pod.id)).toBe(false);
  });

  it('ticks every target; a store that joins later counts its own ticks from its start', async () => {
    vi.useFakeTimers();
    const first = await openStore({ seed });
    const second = await openStore({ seed });
    const targets: Store[] = [first];
    simulation = startSimulation(() => targets, { seed: 4, tickMs: 50 });
    vi.advanceTimersByTime(50 * 12);
    targets.push(second);
    vi.advanceTimersByTime(50 * 5);
    expect(simulation.ticks()).toBe(17);
    expect([simulation.ticksOf(first), simulation.ticksOf(second)]).toEqual([17, 5]);
    expect(clusterOf(first.data)).toEqual(expected(17));
    expect(clusterOf(second.data)).toEqual(expected(5));

    // After an admin reset put the seed back, restart() replays the same story from tick 1.
    await second.replaceAll(seed());
    simulation.restart(second);
    vi.advanceTimersByTime(50 * 2);
    expect(clusterOf(second.data)).toEqual(expected(2));
  });

  it('writes each tick to the --db file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'simulate-'));
    try {
      vi.useFakeTimers();
      const file = path.join(dir, 'db.json');
      const store = await openStore({ file, seed });
      try {
        simulation = startSimulation(() => [store], { seed: 4, tickMs: 1000 });
        for (let tick = 1; tick <= 3; tick++) {
          vi.advanceTimersByTime(1000);
          await store.settled();
          expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ ...seed(), ...expected(tick) });
        }
      } finally {
        simulation?.stop();
        vi.useRealTimers();
        // Its log and lock are open until closed: the folder is removed after.
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a failing tick or write and carries on with the other stores and ticks', async () => {
    vi.useFakeTimers();
    const broken = await openStore({ seed });
    const unwritable = new Store(seed(), { write: () => Promise.reject(new Error('disk full')), close: async () => {} });
    const healthy = await openStore({ seed });
    vi.spyOn(broken, 'transact').mockRejectedValue(new Error('boom'));
    const onError = vi.fn();
    simulation = startSimulation(() => [broken, unwritable, healthy], { seed: 4, tickMs: 10, onError });
    await vi.advanceTimersByTimeAsync(20);
    simulation.stop();
    vi.useRealTimers();
    await unwritable.settled();
    expect(onError.mock.calls.map(([error]) => (error as Error).message).sort()).toEqual([
      'boom',
      'boom',
      'the store could not be written: disk full',
      'the store could not be written: disk full',
    ]);
    expect(simulation.ticksOf(broken)).toBe(0);
    // A tick that could not be written was not applied either: the same tick is tried again.
    expect(simulation.ticksOf(unwritable)).toBe(0);
    expect(unwritable.data).toEqual(seed());
    expect(clusterOf(healthy.data)).toEqual(expected(2));
  });

  it("never keeps the process alive (unref'd timer) and refuses a bad tickMs", async () => {
    const store = await openStore({ seed });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    simulation = startSimulation(() => [store], { seed: 4, tickMs: 60_000 });
    expect(timers()).toBe(before);
    expect(() => startSimulation(() => [store], { seed: 4, tickMs: 0 })).toThrowError('tickMs must be a whole number ≥ 1');
    expect(() => startSimulation(() => [store], { seed: 4, tickMs: 2.5 })).toThrowError(RangeError);
  });

  it('keeps the ids it is told to keep', async () => {
    vi.useFakeTimers();
    const store = await openStore({ seed });
    const keep = seed()
      .pods.slice(0, 3)
      .map((p) => p.id);
    simulation = startSimulation(() => [store], { seed: 4, tickMs: 10, keep });
    vi.advanceTimersByTime(10 * 500);
    expect(clusterOf(store.data)).toEqual(
      runTicks(clusterOf(seed()), 4, 0, 500, { keep: new Set([...keep, ...monitoredIds(seed().policies)]) }),
    );
    for (const id of keep) expect(store.index.pods.has(id)).toBe(true);
  });
});

describe('the simulation and the snapshot check', () => {
  it('never makes a store the snapshot check refuses, whatever pods and jobs its policies name', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const data = sharedSeedData(seed, { pods: 40, jobs: 10, policies: 6 });
      // Every policy of a kind that names ids names some of them, jobs included.
      const policies = data.policies.map((p, i) =>
        p.resource === 'jobs' ? { ...p, resourceIds: data.jobs.filter((_, k) => (k + i) % 3 === 0).map((j) => j.id), jobFilter: null } : p,
      );
      const keep = monitoredIds(policies);
      expect(keep.size).toBeGreaterThan(0);
      let cluster = clusterOf(data);
      for (let tick = 1; tick <= 150; tick++) {
        cluster = runTicks(cluster, seed, tick - 1, 1, { keep });
        if (tick % 50 === 0) expect(snapshotProblems({ ...data, ...cluster, policies }), `seed ${seed} tick ${tick}`).toEqual([]);
      }
    }
  });
});

describe('startSimulation with stores that share a cluster (sessions of one seed)', () => {
  it('makes each step once for all of them, and gives a store whose policies keep other pods a story of its own', async () => {
    vi.useFakeTimers();
    const start = sharedSeedData(21, { pods: 200, jobs: 20 });
    const [a, b, own] = [new Store(start), new Store(start), new Store(start)];
    // A service pod the seed's story does not keep: `own` names it in a pods policy.
    const kept = monitoredIds(start.policies);
    const pod = start.pods.find((p) => p.jobId === null && !kept.has(p.id))!;
    await own.putPolicy({
      ...start.policies.find((p) => p.resource === 'pods')!,
      id: '22222222-2222-4222-8222-222222222222',
      resourceIds: [pod.id],
    });
    simulation = startSimulation(() => [a, b, own], { tickMs: 100 });
    vi.advanceTimersByTime(100 * 300);
    await simulation.idle();
    expect(a.cluster).toBe(b.cluster);
    expect(clusterOf({ ...start, ...a.cluster })).toEqual(runTicks(clusterOf(start), 21, 0, 300, { keep: kept }));
    expect([simulation.ticksOf(a), simulation.ticksOf(b), simulation.ticksOf(own)]).toEqual([300, 300, 300]);
    expect(own.cluster).not.toBe(a.cluster);
    // Replaced in the seed's story, alive in its own.
    expect(a.index.pods.has(pod.id)).toBe(false);
    expect(own.index.pods.has(pod.id)).toBe(true);
    expect(snapshotProblems(own.data)).toEqual([]);
  });
});
