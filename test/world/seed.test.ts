import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, DEFAULT_SIZES, seedData, sharedSeedData, shippedDefault } from '../../src/world/seed.js';
import { JOB_STATUSES, POD_PHASES } from '../../src/domain/model.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('seedData', () => {
  it('starts the default seed from the shipped default world (no faker at start-up), byte-identical to generating it', () => {
    const shipped = shippedDefault();
    expect(shipped).toBeDefined();
    const generated = JSON.stringify(seedData(DEFAULT_SEED));
    expect(JSON.stringify(shipped)).toBe(generated);
    expect(JSON.stringify(sharedSeedData(DEFAULT_SEED, DEFAULT_SIZES))).toBe(generated);
  });

  it('gives byte-identical data for the same seed and sizes', () => {
    expect(JSON.stringify(seedData(7, { pods: 200, jobs: 30 }))).toBe(JSON.stringify(seedData(7, { pods: 200, jobs: 30 })));
  });

  it('gives different data for a different seed', () => {
    const a = seedData(1);
    const b = seedData(2);
    expect(a.pods.map((p) => p.id)).not.toEqual(b.pods.map((p) => p.id));
    expect(a.pods.map((p) => p.name)).not.toEqual(b.pods.map((p) => p.name));
  });

  it('has the default sizes: 1 cluster, 4 namespaces, 60 pods, 12 jobs, 3 policies', () => {
    const data = seedData();
    expect([data.clusters.length, data.namespaces.length, data.pods.length, data.jobs.length, data.policies.length]).toEqual([
      1, 4, 60, 12, 3,
    ]);
    expect(data.meta.sizes).toEqual(DEFAULT_SIZES);
  });

  it('scales per cluster', () => {
    const data = seedData(3, { clusters: 2, namespaces: 3, pods: 40, jobs: 5, policies: 0 });
    expect([data.clusters.length, data.namespaces.length, data.pods.length, data.jobs.length]).toEqual([2, 6, 80, 10]);
  });

  it('looks like a real cluster: Kubernetes names, phases, statuses, priority classes, UUIDs', () => {
    const data = seedData(11, { pods: 300, jobs: 40, namespaces: 6 });
    const ids = [...data.clusters, ...data.namespaces, ...data.pods, ...data.jobs, ...data.policies].map((x) => x.id);
    expect(ids.every((id) => UUID.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(data.namespaces.map((n) => n.name)).size).toBe(6);
    for (const pod of data.pods) {
      expect(pod.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(POD_PHASES).toContain(pod.status);
    }
    for (const job of data.jobs) {
      expect(JOB_STATUSES).toContain(job.status);
      expect([0, 100, 1000, 10000]).toContain(job.priority);
    }
  });

  it('gives every job pods of its own in its own namespace, and job pods phases that fit the job', () => {
    const data = seedData(5, { pods: 100, jobs: 20 });
    for (const job of data.jobs) {
      const pods = data.pods.filter((p) => p.jobId === job.id);
      expect(pods.length).toBeGreaterThan(0);
      expect(pods.every((p) => p.namespaceId === job.namespaceId && p.name.startsWith(`${job.name}-`))).toBe(true);
      if (job.status === 'Complete') expect(pods.every((p) => p.status === 'Succeeded')).toBe(true);
    }
    expect(data.pods.some((p) => p.jobId === null)).toBe(true);
  });

  it('starts with one demo policy of each kind, all on existing resources', () => {
    const data = seedData();
    expect(data.policies.map((p) => p.resource)).toEqual(['pods', 'namespace', 'jobs']);
    const [pods, namespace, jobs] = data.policies;
    expect(pods!.resourceIds.every((id) => data.pods.some((p) => p.id === id))).toBe(true);
    expect(namespace!.resourceIds.every((id) => data.namespaces.some((n) => n.id === id))).toBe(true);
    expect(jobs!.tracking!.jobIds.length).toBeGreaterThan(0);
  });

  it('refuses sizes that cannot make a consistent cluster', () => {
    expect(() => seedData(1, { pods: 3, jobs: 5 })).toThrowError('every job owns a pod');
    expect(() => seedData(1, { pods: -1 })).toThrowError('pods must be a whole number');
    expect(() => seedData(1, { namespaces: 0 })).toThrowError('namespace');
  });
});
