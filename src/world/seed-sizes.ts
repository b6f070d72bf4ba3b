import type { SeedSizes } from '../domain/model.js';

/** Largest sizes: well past a real cluster, and still seeded in seconds inside the process's memory. */
export const MAX_SIZES: SeedSizes = { clusters: 100, namespaces: 10_000, pods: 500_000, jobs: 100_000, policies: 100_000 };

/**
 * Why these sizes cannot make a consistent cluster, or null when they can. Namespaces, pods and
 * jobs are per cluster, and their totals over every cluster obey the same limits: the flags and a
 * snapshot's `meta.sizes` are held to this one rule.
 */
export function sizesProblem(sizes: SeedSizes): string | null {
  for (const [name, value] of Object.entries(sizes) as Array<[keyof SeedSizes, number]>) {
    if (!Number.isSafeInteger(value) || value < 0) return `${name} must be a whole number ≥ 0, got ${value}`;
    if (value > MAX_SIZES[name]) return `${name} must be at most ${MAX_SIZES[name]}, got ${value}`;
  }
  for (const name of ['namespaces', 'pods', 'jobs'] as const) {
    const total = sizes[name] * sizes.clusters;
    if (total > MAX_SIZES[name])
      return `${name} over all clusters must be at most ${MAX_SIZES[name]}, got ${sizes.clusters} × ${sizes[name]} = ${total}`;
  }
  if (sizes.jobs > 0 && sizes.namespaces === 0) return 'jobs need at least one namespace';
  if (sizes.pods < sizes.jobs) return `every job owns a pod: pods (${sizes.pods}) must be ≥ jobs (${sizes.jobs})`;
  if (sizes.pods > 0 && sizes.namespaces === 0) return 'pods need at least one namespace';
  return null;
}
