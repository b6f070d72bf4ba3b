import { Faker, base, en } from '@faker-js/faker';
import { seedPolicies } from './policies/seed-policies.js';
import type { SeedSizes, StoreData } from './store/model.js';
import { seedCluster } from './store/seed-cluster.js';

export const DEFAULT_SEED = 1337;
export const DEFAULT_SIZES: SeedSizes = { clusters: 1, namespaces: 4, pods: 60, jobs: 12, policies: 3 };
/** Seeded timestamps are relative to this instant, never to the clock, so a seed gives the same bytes every day. */
export const SEED_REFERENCE_DATE = '2026-11-01T00:00:00.000Z';

/** Same seed and sizes, byte-identical data. */
export function seedData(seed: number = DEFAULT_SEED, sizes: Partial<SeedSizes> = {}): StoreData {
  const fullSizes = { ...DEFAULT_SIZES, ...sizes };
  assertSizes(fullSizes);
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  faker.setDefaultRefDate(SEED_REFERENCE_DATE);
  const cluster = seedCluster(faker, fullSizes);
  const policies = seedPolicies(faker, cluster, fullSizes.policies);
  return { meta: { seed, sizes: fullSizes }, ...cluster, policies };
}

function assertSizes(sizes: SeedSizes): void {
  for (const [name, value] of Object.entries(sizes)) {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
  if (sizes.jobs > 0 && sizes.namespaces === 0) throw new RangeError('jobs need at least one namespace');
  if (sizes.pods < sizes.jobs) throw new RangeError(`every job owns a pod: pods (${sizes.pods}) must be ≥ jobs (${sizes.jobs})`);
  if (sizes.pods > 0 && sizes.namespaces === 0) throw new RangeError('pods need at least one namespace');
}
