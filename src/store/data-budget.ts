import type { ClusterData, Policy, SeedSizes, StoreData } from '../domain/model.js';
import { Refusal } from '../domain/refusal.js';

/** Estimated bytes a kept item costs in memory (a JS object is about three times its JSON). */
const BYTES = { pod: 700, job: 700, namespace: 300, cluster: 300, policyPerJsonChar: 3 };

const keptBytes = new WeakMap<Policy, number>();

/**
 * A policy's cost: its JSON's length (see jsonLength) times policyPerJsonChar. Once per policy
 * object (a kept policy is never edited, only replaced): an update or a delete does not measure
 * the policy it replaces again.
 */
export function policyBytes(policy: Policy | undefined): number {
  if (!policy) return 0;
  let bytes = keptBytes.get(policy);
  if (bytes === undefined) keptBytes.set(policy, (bytes = jsonLength(policy) * BYTES.policyPerJsonChar));
  return bytes;
}

/** Characters JSON.stringify would escape (quote, backslash, controls) or check (lone surrogates). */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value).length`, exactly, without building the text: a write measured the
 * policy by serialising it. Only a string with a character JSON escapes is serialised (rare).
 */
export function jsonLength(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return ESCAPED.test(value) ? JSON.stringify(value).length : value.length + 2;
    case 'number':
      return Number.isSafeInteger(value) ? digits(value) : Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let n = 1 + Math.max(1, value.length);
        for (const item of value as unknown[]) n += omitted(item) ? 4 : jsonLength(item);
        return n;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value).length;
      let n = 1;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        const item = (value as Record<string, unknown>)[key];
        if (!omitted(item)) n += jsonLength(key) + 2 + jsonLength(item);
      }
      return Math.max(n, 2);
    }
    default:
      return 0;
  }
}

/** Characters of a safe integer written out (no string made). */
function digits(n: number): number {
  let count = n < 0 ? 2 : 1;
  for (let rest = Math.abs(n); rest >= 10; rest = Math.floor(rest / 10)) count++;
  return count;
}

/** What JSON leaves out of an object (and writes as null in an array). */
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

const documentBytes = new WeakMap<StoreData, number>();

/**
 * What a document's policies cost, once per document: every session made from one seed shares its
 * document, and 100,000 seeded policies are not to be serialised again for each new session.
 */
export function documentPolicyBytes(data: StoreData): number {
  let bytes = documentBytes.get(data);
  if (bytes === undefined) {
    bytes = data.policies.reduce((n, p) => n + policyBytes(p), 0);
    documentBytes.set(data, bytes);
  }
  return bytes;
}

export const clusterBytes = (c: ClusterData): number =>
  c.pods.length * BYTES.pod + c.jobs.length * BYTES.job + c.namespaces.length * BYTES.namespace + c.clusters.length * BYTES.cluster;

/** What seeding these sizes would cost, before seeding them. */
export const seedBytes = (s: SeedSizes): number =>
  s.clusters * (s.pods * BYTES.pod + s.jobs * BYTES.job + s.namespaces * BYTES.namespace + BYTES.cluster);

/** The budget said no: the change is valid but the mock would hold more than --max-data. */
export class BudgetRefusal extends Refusal {
  override name = 'BudgetRefusal';
}

/**
 * What every store of the process holds (the default one and each session's), against one limit
 * (`--max-data`): policies, and each distinct cluster once, however many stores share it. A change
 * that would grow past the limit is refused; one that shrinks is always let through.
 */
export class DataBudget {
  readonly #clusters = new Map<ClusterData, number>();
  #clusterBytes = 0;
  #policyBytes = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#clusterBytes + this.#policyBytes;
  }

  holds(cluster: ClusterData): boolean {
    return this.#clusters.has(cluster);
  }

  /** Refuses growth by `grow` bytes past the limit; `what` says what was asked for. */
  admit(grow: number, what: string): void {
    if (grow <= 0 || this.used + grow <= this.limit) return;
    throw new BudgetRefusal(
      'invalid',
      `${what} would take the mock's data past --max-data (${mb(this.limit)} MB; ${mb(this.used)} MB held now, ${mb(grow)} MB more asked for): delete policies or sessions, or start it with a larger --max-data`,
    );
  }

  /** A store took `cluster` and `bytes` of policies (and let go of `previous`, if any). */
  take(cluster: ClusterData, previous: ClusterData | undefined, policyDelta: number): void {
    this.#policyBytes += policyDelta;
    if (cluster === previous) return;
    const refs = this.#clusters.get(cluster) ?? 0;
    if (refs === 0) this.#clusterBytes += clusterBytes(cluster);
    this.#clusters.set(cluster, refs + 1);
    if (previous) this.release(previous, 0);
  }

  /** A store let go of `cluster` and `policies` bytes (a session dropped, a cluster replaced). */
  release(cluster: ClusterData, policies: number): void {
    this.#policyBytes -= policies;
    const held = this.#clusters.get(cluster);
    if (held === undefined) return;
    const refs = held - 1;
    if (refs > 0) return void this.#clusters.set(cluster, refs);
    this.#clusters.delete(cluster);
    this.#clusterBytes -= clusterBytes(cluster);
  }
}

const mb = (bytes: number) => Math.ceil(bytes / 1e6);

/** No limit: tests and tools that make stores by hand. */
export const unlimitedBudget = () => new DataBudget(Number.POSITIVE_INFINITY);
