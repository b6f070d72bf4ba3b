import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import { seedPolicies } from './seed-policies.js';
import { packageFile } from '../spec/package-file.js';
import type { SeedSizes, StoreData } from '../domain/model.js';
import { sizesProblem } from './seed-sizes.js';
import { seedCluster } from './seed-cluster.js';

export const DEFAULT_SEED = 1337;
export const DEFAULT_SIZES: SeedSizes = { clusters: 1, namespaces: 4, pods: 60, jobs: 12, policies: 3 };
/** Seeded timestamps are relative to this instant, never to the clock, so a seed gives the same bytes every day. */
export const SEED_REFERENCE_DATE = '2026-11-01T00:00:00.000Z';

const require = createRequire(import.meta.url);
let english: Faker | undefined;
/**
 * The English locale's entry point, not the package's (which loads all ~70 locales, half a second
 * and tens of MB, for data that only ever speaks English), and only when a seed is generated: a
 * default start uses the shipped default world instead (a tenth of start-up).
 */
const englishFaker = (): Faker => (english ??= (require('@faker-js/faker/locale/en') as { faker: Faker }).faker);

/** Same seed and sizes, byte-identical data. */
export function seedData(seed: number = DEFAULT_SEED, sizes: Partial<SeedSizes> = {}): StoreData {
  const fullSizes = { ...DEFAULT_SIZES, ...sizes };
  assertSizes(fullSizes);
  const faker = englishFaker();
  // One shared instance (locales en + base, as `new Faker({ locale: [en, base] })` builds it),
  // reseeded for every call: seeding is synchronous, and `seed` plus the reference date is all
  // the state generation reads, so the same seed still gives byte-identical data.
  faker.seed(seed);
  faker.setDefaultRefDate(SEED_REFERENCE_DATE);
  const cluster = seedCluster(faker, fullSizes);
  const policies = seedPolicies(faker, cluster, fullSizes.policies);
  return { meta: { seed, sizes: fullSizes }, ...cluster, policies };
}

function assertSizes(sizes: SeedSizes): void {
  const problem = sizesProblem(sizes);
  if (problem) throw new RangeError(problem);
}

const shared = new Map<string, StoreData>();
const sharedKey = (seed: number, sizes: Partial<SeedSizes>) => JSON.stringify([seed, { ...DEFAULT_SIZES, ...sizes }]);

/** The shared data of this seed and sizes if it was made already, without making it. */
export function cachedSeedData(seed: number, sizes: Partial<SeedSizes>): StoreData | undefined {
  return shared.get(sharedKey(seed, sizes));
}
const SHARED_SEEDS = 4;
const DEFAULT_KEY = sharedKey(DEFAULT_SEED, DEFAULT_SIZES);

/**
 * The default seed's data as `npm run fixtures:build` wrote it (a test holds it to what seedData
 * makes, byte for byte); undefined where the file is not there, and the seed is generated instead.
 */
export function shippedDefault(): StoreData | undefined {
  try {
    return JSON.parse(readFileSync(packageFile('fixtures/seed-data.json'), 'utf8')) as StoreData;
  } catch {
    return undefined;
  }
}

/**
 * `seedData`, generated once per seed and sizes and then shared by every store made from it (the
 * default store, each session, each reset): stores never edit data in place, so a session costs
 * what it changes, not a copy of the cluster. Never edit what this returns.
 */
export function sharedSeedData(seed: number = DEFAULT_SEED, sizes: Partial<SeedSizes> = {}): StoreData {
  const key = sharedKey(seed, sizes);
  let data = shared.get(key);
  if (!data) {
    data = (key === DEFAULT_KEY && shippedDefault()) || seedData(seed, sizes);
    shared.set(key, data);
    // A few seeds at most (resets to many seeds would otherwise keep every cluster alive).
    for (const oldest of shared.keys()) if (shared.size > SHARED_SEEDS) shared.delete(oldest);
  }
  return data;
}
