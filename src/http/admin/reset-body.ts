import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FromSchema } from 'json-schema-to-ts';
import type { SeedSizes } from '../../domain/model.js';
import type { ProblemDetail } from '../../domain/refusal.js';
import { SEED_SIZES_SCHEMA } from '../../domain/store-schema.js';
import { sizesProblem } from '../../world/seed-sizes.js';

/** What `POST /__admin/reset` takes: one schema, the route checks it and the admin client's type is derived from it. */
export const RESET_SCHEMA = {
  type: 'object',
  properties: {
    /** The faker seed; absent: the seed the mock started with. */
    seed: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    /** Sizes to seed at, each one replacing the base's (`{"policies": 0}`: an empty list to show). */
    sizes: { type: 'object', properties: SEED_SIZES_SCHEMA.properties, additionalProperties: false },
  },
  additionalProperties: false,
} as const;

export type ResetBody = FromSchema<typeof RESET_SCHEMA>;

let validate: ReturnType<Ajv2020['compile']> | undefined;

/**
 * The seed and sizes a reset seeds with, or every problem (nothing changes then). No seed: the
 * start's seed and sizes; a seed: the store's current sizes. Given sizes replace the base's.
 */
export function readReset(
  body: unknown,
  start: { seed: number; sizes: SeedSizes },
  current: SeedSizes,
): { seed: number; sizes: SeedSizes } | ProblemDetail[] {
  const given = body ?? {};
  validate ??= new Ajv2020({ allErrors: true, strict: false }).compile(RESET_SCHEMA);
  if (!validate(given)) {
    return (validate.errors ?? []).map((e) => ({
      path: `/body${e.instancePath}${e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : ''}`,
      message:
        e.keyword === 'additionalProperties'
          ? 'is not a reset field (seed, sizes: clusters, namespaces, pods, jobs, policies)'
          : (e.message ?? 'is invalid'),
    }));
  }
  const { seed, sizes } = given as ResetBody;
  const merged = { ...(seed === undefined ? start.sizes : current), ...sizes };
  const problem = sizesProblem(merged);
  if (problem) return [{ path: '/body/sizes', message: problem }];
  return { seed: seed ?? start.seed, sizes: merged };
}
