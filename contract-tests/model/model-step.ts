import fc from 'fast-check';
import type { ResourceKind } from '../operations.js';

/** Which job filter a body carries, as a name: each target reads it through its own profile. */
export type FilterChoice = 'absent' | 'null' | 'nulls' | 'profile' | 'namespace' | 'priority' | 'nomatch' | 'learned' | 'edges';
export type BodyVariant = 'minimal' | 'full' | 'nulls';

/**
 * A policy body in terms of the profile, not of ids: `picks` index the profile's ids of the kind
 * (modulo their number), so one step means the same thing on any target.
 */
export interface BodySpec {
  kind: ResourceKind;
  picks: number[];
  /** Send the first pick twice. */
  duplicate: boolean;
  /** Add an id that exists nowhere: the request must be refused. */
  unknownResource: boolean;
  /** Add a profile id of another kind (a job id in a pods policy, …): the request must be refused. */
  wrongKind?: boolean;
  filter: FilterChoice;
  /** With filter `learned`: which of the priorities the cluster's jobs have (modulo their number). */
  priorityPick?: number;
  variant: BodyVariant;
  heartbeat: number;
}

/** A policy a step aims at: one this run holds, one it deleted, an unknown UUID, or not a UUID. */
export interface Ref {
  pool: 'live' | 'deleted' | 'unknown' | 'malformed';
  pick: number;
}

export type AuthFault = 'none' | 'wrong' | 'malformed';
export type ReadOp = 'pods' | 'jobs' | 'jobStatus';
export type AnyOp = 'create' | 'update' | 'delete' | 'list' | 'sync' | ReadOp;

export type ModelStep =
  | { op: 'create'; body: BodySpec; id: { kind: 'none' } | { kind: 'free' } | { kind: 'taken'; pick: number } }
  | { op: 'update'; target: Ref; body: BodySpec }
  | { op: 'delete'; target: Ref }
  | { op: 'list' }
  | { op: 'sync' }
  | { op: ReadOp; target: Ref }
  /** Every view of one policy: /pods, /jobs and /job-status. */
  | { op: 'inspect'; target: Ref }
  | { op: 'unauth'; operation: AnyOp; auth: AuthFault; target: Ref };

/** What the steps may use: a target whose cluster is too large to learn whole gets no unfiltered "every job" scopes. */
export interface StepSpace {
  expectAuth: boolean;
  /** Filters a jobs policy without resource ids may carry. */
  openFilters: readonly FilterChoice[];
}

const rarely = (arb: fc.Arbitrary<boolean>) => fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: arb });
const ALL_FILTERS: FilterChoice[] = ['absent', 'null', 'nulls', 'profile', 'namespace', 'priority', 'nomatch', 'learned', 'edges'];

function bodyArb(space: StepSpace): fc.Arbitrary<BodySpec> {
  return fc
    .record({
      // Jobs policies have the most to get wrong (filters, sync): as many as the other two kinds.
      kind: fc.constantFrom<ResourceKind>('pods', 'namespace', 'jobs', 'jobs'),
      picks: fc.array(fc.nat(7), { minLength: 0, maxLength: 3 }),
      duplicate: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      unknownResource: rarely(fc.constant(true)),
      wrongKind: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      filter: fc.constantFrom(...ALL_FILTERS),
      priorityPick: fc.nat(7),
      variant: fc.constantFrom<BodyVariant>('minimal', 'full', 'nulls'),
      heartbeat: fc.integer({ min: 1, max: 100_000 }),
    })
    .map(({ wrongKind, priorityPick, ...b }): BodySpec => {
      // Only filters the model can judge on this cluster when no ids narrow the jobs.
      const open = b.kind === 'jobs' && b.picks.length === 0;
      const spec: BodySpec = open && !space.openFilters.includes(b.filter) ? { ...b, filter: space.openFilters[0] ?? 'nomatch' } : b;
      // The optional fields only where they mean something, so a saved sequence reads as it did.
      if (wrongKind) spec.wrongKind = true;
      if (spec.kind === 'jobs' && (spec.filter === 'learned' || spec.filter === 'edges')) spec.priorityPick = priorityPick;
      return spec;
    });
}

const refArb = (pools: Ref['pool'][]) =>
  fc.record({ pool: fc.constantFrom(...pools), pick: fc.nat(9) }).map((r): Ref => ({ pool: r.pool, pick: r.pick }));
/** Mostly policies of this run. */
const liveMostly = fc.oneof(
  { weight: 6, arbitrary: refArb(['live']) },
  { weight: 1, arbitrary: refArb(['deleted']) },
  { weight: 1, arbitrary: refArb(['unknown']) },
);

/** Every operation, weighted so that a sequence mostly builds state and reads it back. */
export function stepArbitraries(space: StepSpace): fc.Arbitrary<ModelStep>[] {
  const body = bodyArb(space);
  const createId = fc.oneof(
    { weight: 5, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'free' as const }) },
    { weight: 2, arbitrary: fc.nat(9).map((pick) => ({ kind: 'taken' as const, pick })) },
  );
  const arbs: fc.Arbitrary<ModelStep>[] = [
    fc.record({ body, id: createId }).map((s): ModelStep => ({ op: 'create', ...s })),
    fc.record({ body, id: createId }).map((s): ModelStep => ({ op: 'create', ...s })),
    fc.record({ target: liveMostly, body }).map((s): ModelStep => ({ op: 'update', ...s })),
    fc.record({ target: liveMostly, body }).map((s): ModelStep => ({ op: 'update', ...s })),
    fc.record({ target: liveMostly }).map((s): ModelStep => ({ op: 'delete', ...s })),
    fc.constant<ModelStep>({ op: 'list' }),
    fc.constant<ModelStep>({ op: 'list' }),
    fc.constant<ModelStep>({ op: 'sync' }),
    fc
      .record({
        op: fc.constantFrom<ReadOp>('pods', 'jobs', 'jobStatus'),
        target: fc.oneof({ weight: 8, arbitrary: liveMostly }, { weight: 1, arbitrary: refArb(['malformed']) }),
      })
      .map((s): ModelStep => s),
    fc.record({ target: refArb(['live']) }).map((s): ModelStep => ({ op: 'inspect', ...s })),
    fc.record({ target: refArb(['live']) }).map((s): ModelStep => ({ op: 'inspect', ...s })),
  ];
  if (space.expectAuth) {
    arbs.push(
      fc
        .record({
          operation: fc.constantFrom<AnyOp>('create', 'update', 'delete', 'list', 'sync', 'pods', 'jobs', 'jobStatus'),
          auth: fc.constantFrom<AuthFault>('none', 'wrong', 'malformed'),
          target: refArb(['live']),
        })
        .map((s): ModelStep => ({ op: 'unauth', ...s })),
    );
  }
  return arbs;
}

/** The policy a step needs from the run's pool, if any (fast-check runs a step only when it has one). */
export function neededPool(step: ModelStep): 'live' | 'deleted' | undefined {
  if (step.op === 'create') return step.id.kind === 'taken' ? 'live' : undefined;
  if (step.op === 'list' || step.op === 'sync') return undefined;
  const pool = step.target.pool;
  return pool === 'live' || pool === 'deleted' ? pool : undefined;
}

const KIND_WORD: Record<ResourceKind, string> = { pods: 'pods', namespace: 'namespace', jobs: 'jobs' };

export function describeBody(b: BodySpec): string {
  const ids = [...b.picks.map((p) => `#${p}`), ...(b.duplicate && b.picks.length > 0 ? [`#${b.picks[0]} again`] : [])];
  const parts = [`${KIND_WORD[b.kind]} policy`, `${b.variant} body`, `resource_ids [${ids.join(', ')}]`];
  if (b.duplicate && b.picks.length === 0) parts[2] = 'resource_ids []';
  if (b.wrongKind) parts.push('plus a profile id of another kind');
  if (b.unknownResource) parts.push('plus an unknown resource id');
  if (b.kind === 'jobs' && b.filter === 'learned')
    parts.push(`job_filter priority: a priority the cluster's jobs have (#${b.priorityPick ?? 0})`);
  else if (b.kind === 'jobs' && b.filter === 'edges') parts.push(`job_filter at an edge matching no job (#${b.priorityPick ?? 0})`);
  else if (b.kind === 'jobs' && b.filter !== 'absent') parts.push(`job_filter ${b.filter}`);
  parts.push(`heartbeat ${b.heartbeat}`);
  return parts.join(', ');
}

/** Pools, when given, name the policy a pick resolves to (#handle, as the failure text names it). */
export interface HandlePools {
  live: readonly number[];
  deleted: readonly number[];
}

const handleOf = (list: readonly number[] | undefined, pick: number) => (list && list.length > 0 ? list[pick % list.length] : undefined);

export function describeRef(r: Ref, pools?: HandlePools): string {
  switch (r.pool) {
    case 'live':
      return `policy #${handleOf(pools?.live, r.pick) ?? `(pick ${r.pick})`}`;
    case 'deleted':
      return `deleted policy #${handleOf(pools?.deleted, r.pick) ?? `(pick ${r.pick})`}`;
    case 'unknown':
      return 'an unknown UUID';
    case 'malformed':
      return 'a malformed id';
  }
}

export function describeStep(step: ModelStep, pools?: HandlePools): string {
  switch (step.op) {
    case 'create': {
      const taken = step.id.kind === 'taken' ? describeRef({ pool: 'live', pick: step.id.pick }, pools) : '';
      const id = step.id.kind === 'none' ? '' : step.id.kind === 'free' ? ' with a free explicit id' : ` with the id of ${taken} (taken)`;
      return `create ${describeBody(step.body)}${id}`;
    }
    case 'update':
      return `update ${describeRef(step.target, pools)} to ${describeBody(step.body)}`;
    case 'delete':
      return `delete ${describeRef(step.target, pools)}`;
    case 'list':
      return 'list';
    case 'sync':
      return 'sync-jobs';
    case 'inspect':
      return `/pods, /jobs and /job-status of ${describeRef(step.target, pools)}`;
    case 'unauth':
      return `${step.operation} (${describeRef(step.target, pools)}) with ${step.auth === 'none' ? 'no Authorization header' : step.auth === 'wrong' ? 'a wrong token' : 'a non-bearer Authorization header'}`;
    default:
      return `${step.op === 'jobStatus' ? 'job-status' : step.op} of ${describeRef(step.target, pools)}`;
  }
}
