import { shapeView, type ShapeView } from './response-shape.js';
import { randomUUID } from 'node:crypto';
import type { Exchange } from '../client.js';
import type { RunState } from '../run-state.js';
import type { LearnedCluster } from './learned-cluster.js';
import type { BodySpec, Ref } from './model-step.js';
import { buildBody, expectedJobStatus, matchedJobs, monitoredPods, unique, type BuiltBody, type ModelPolicy } from './policy-model.js';

/** The policies a sequence has made, by handle: the same handles on every target a sequence runs on. */
export interface Pools {
  live: number[];
  deleted: number[];
  nextHandle: number;
}

/** One broken expectation of the model: `label` says what must hold without any target's data. */
export class ModelMismatch extends Error {
  constructor(
    readonly label: string,
    readonly detail: string,
    readonly operationId: string,
    readonly exchange?: Exchange,
  ) {
    super(`${label}${detail ? `: ${detail}` : ''}`);
  }
}

/** A model mismatch as failures are told apart: operation and expectation, no target's data. */
export const mismatchKey = (operationId: string, label: string): string => `${operationId} ${label}`;

export interface StepRecord {
  description: string;
  exchanges: Exchange[];
}

export interface StepOutcome {
  created?: number;
  deleted?: number;
  /** What another implementation must answer alike: statuses, media types, shapes, and which expectations broke. */
  signature: string[];
}

/**
 * What every step of a sequence on one target shares: the model's policies, the step being run,
 * and the checks. `strict` throws the first mismatch (model_conformance); otherwise a mismatch
 * only goes into the step's signature (differential_agreement compares them between targets).
 * Each operation's step is its own file (steps/), a function of this context.
 */
export class StepContext {
  readonly live = new Map<number, ModelPolicy>();
  readonly deletedIds = new Map<number, string>();
  /** Every id this sequence made, and the ids list had before it began. */
  readonly madeIds = new Set<string>();
  before = new Set<string>();
  current: StepRecord & { problems: string[] } = { description: '', exchanges: [], problems: [] };
  /** What of an answer the differential compares (the contract's meaning, or everything with --compare-strict). */
  readonly shapeView: ShapeView;

  constructor(
    readonly runState: RunState,
    readonly learned: LearnedCluster,
    readonly strict: boolean,
    /** Mismatches already reported: noted like a non-strict one, so the sequence goes on to others. */
    readonly known: ReadonlySet<string> = new Set(),
  ) {
    this.shapeView = shapeView(runState.spec, runState.options.compareStrict === true);
  }

  expect(ok: boolean, label: string, detail: () => string, operationId: string, exchange?: Exchange): boolean {
    if (ok) return true;
    if (this.strict && !this.known.has(mismatchKey(operationId, label))) throw new ModelMismatch(label, detail(), operationId, exchange);
    this.current.problems.push(label);
    return false;
  }

  note(exchange: Exchange): Exchange {
    this.current.exchanges.push(exchange);
    return exchange;
  }

  /** A 5xx or no answer is never what the model expects. */
  answered(exchange: Exchange): boolean {
    const { status } = exchange.response;
    return this.expect(
      status > 0 && status < 500,
      'the target answers with a declared status, never a 5xx or nothing',
      () => describe(exchange),
      exchange.operationId,
      exchange,
    );
  }

  expectStatus(exchange: Exchange, statuses: number[], label: string): boolean {
    if (!this.answered(exchange)) return false;
    return this.expect(
      statuses.includes(exchange.response.status),
      label,
      () => `answered ${describe(exchange)}`,
      exchange.operationId,
      exchange,
    );
  }

  /** A refusal: a declared 4xx with an ApiError body. */
  expectRefusal(exchange: Exchange, label: string): void {
    if (!this.answered(exchange)) return;
    const op = this.runState.operation(exchange.operationId);
    const declared = op.responses.map((r) => r.status).filter((s) => s >= 400 && s < 500);
    const { status, json } = exchange.response;
    const apiError = json !== undefined && this.runState.validator.validateComponent('ApiError', json).length === 0;
    this.expect(declared.includes(status) && apiError, label, () => `answered ${describe(exchange)}`, exchange.operationId, exchange);
  }

  resolve(ref: Ref, pools: Pools): { id: string; policy?: ModelPolicy; handle?: number } {
    const pick = (list: number[]) => list[ref.pick % Math.max(list.length, 1)];
    if (ref.pool === 'live') {
      const handle = pick(pools.live);
      const policy = handle === undefined ? undefined : this.live.get(handle);
      if (policy) return { id: policy.id, policy, handle };
    }
    if (ref.pool === 'deleted') {
      const handle = pick(pools.deleted);
      const id = handle === undefined ? undefined : this.deletedIds.get(handle);
      if (id !== undefined) return { id };
    }
    return ref.pool === 'malformed' ? { id: 'not-a-uuid' } : { id: randomUUID() };
  }

  build(step: { body: BodySpec }, id?: string): BuiltBody {
    return buildBody(step.body, this.runState.profile, this.learned, this.runState.resourceName('model'), id);
  }

  resync(policy: ModelPolicy): void {
    if (policy.kind !== 'jobs') {
      policy.synced = undefined;
      return;
    }
    const jobIds = new Set(matchedJobs(policy, this.learned));
    policy.synced = { jobIds, podIds: monitoredPods(policy, this.learned), jobStatus: expectedJobStatus(jobIds, this.learned) };
  }

  /** A create that should have been refused made a policy: it is ours to delete, never the model's to judge further. */
  adoptAccidental(id: string | undefined): void {
    if (id === undefined) return;
    this.runState.own.add(id);
    this.madeIds.add(id);
  }

  /** The ids of a list answer (objects by their `id`), each once, and when the model knows them, exactly `want`. */
  expectSameSet(label: string, got: unknown, want: Set<string> | undefined, where: string, exchange: Exchange): void {
    const ids = Array.isArray(got)
      ? got.map((x) => String((typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : x) ?? ''))
      : undefined;
    if (
      !this.expect(
        ids !== undefined && ids.length === unique(ids).length,
        `${label}: each once`,
        () => `${where}: ${JSON.stringify(got)}`,
        exchange.operationId,
        exchange,
      )
    )
      return;
    if (!want) return;
    const ok = ids?.length === want.size && ids.every((id) => want.has(id));
    this.expect(
      ok,
      label,
      () => `${where}: answered ${JSON.stringify([...(ids ?? [])].sort())}, the model expects ${JSON.stringify([...want].sort())}`,
      exchange.operationId,
      exchange,
    );
  }
}

export function describe(exchange: Exchange): string {
  const r = exchange.response;
  if (r.status === 0) return `no answer (${r.error ?? 'unknown error'})`;
  const text = r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text;
  return `${r.status} ${r.mediaType || '(no content type)'} ${text}`;
}
