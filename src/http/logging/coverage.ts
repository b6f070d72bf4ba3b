import type { OpenApiDocument } from '../../spec/openapi-document.js';
import type { Operation, SpecIndex } from '../../spec/spec-index.js';
import { requestFields } from './request-fields.js';

/** Refusals kept per session: the latest ones, which are what a team looks at. */
export const MAX_REFUSALS = 20;

interface Seen {
  /** operationId → status → how many answers. */
  statuses: Map<string, Map<number, number>>;
  /** operationId → request fields sent at least once. */
  fields: Map<string, Set<string>>;
  refusals: Array<{ time: string; operationId: string | null; status: number; message: string | null }>;
}

/**
 * What a client has exercised of the contract, per session (the default store as `null`): for each
 * operation the declared statuses it has received, the request fields it never sent, the refusals
 * it caused. Bounded: `maxSessions` sessions (the oldest dropped first), declared fields and
 * statuses only, MAX_REFUSALS refusals each.
 */
export class Coverage {
  readonly #seen = new Map<string | null, Seen>();
  /** Each operation's request fields, with their key paths split once (not per field per request). */
  readonly #fields: Map<string, Array<[field: string, keys: string[]]>>;

  constructor(
    private readonly spec: SpecIndex,
    document: OpenApiDocument,
    private readonly maxSessions: number,
  ) {
    this.#fields = new Map(
      spec.operations.map((op) => [op.operationId, requestFields(document, op).map((f): [string, string[]] => [f, f.split('.')])]),
    );
  }

  record(
    session: string | null,
    op: Operation | undefined,
    status: number,
    body: unknown,
    message: string | null,
    startedMs: number,
  ): void {
    const seen = this.#of(session);
    if (op && op.responses.has(status)) {
      const byStatus = seen.statuses.get(op.operationId) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      seen.statuses.set(op.operationId, byStatus);
    }
    if (op && typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const sent = seen.fields.get(op.operationId) ?? new Set<string>();
      for (const [field, keys] of this.#fields.get(op.operationId) ?? []) if (hasField(body, keys)) sent.add(field);
      seen.fields.set(op.operationId, sent);
    }
    if (status >= 400 && status < 500) {
      seen.refusals.push({ time: new Date(startedMs).toISOString(), operationId: op?.operationId ?? null, status, message });
      if (seen.refusals.length > MAX_REFUSALS) seen.refusals.shift();
    }
  }

  sessions(): Array<string | null> {
    return [...this.#seen.keys()];
  }

  /** The JSON of `GET /__admin/coverage` for one session. */
  report(session: string | null) {
    const seen = this.#seen.get(session);
    return {
      session,
      operations: this.spec.operations.map((op) => {
        const received = seen?.statuses.get(op.operationId);
        const sent = seen?.fields.get(op.operationId);
        return {
          operationId: op.operationId,
          method: op.method,
          path: op.path,
          statuses: [...op.responses].map(([status, declared]) => ({
            status,
            description: declared.description,
            received: received?.get(status) ?? 0,
          })),
          fieldsNeverSent: (this.#fields.get(op.operationId) ?? []).map(([f]) => f).filter((f) => !sent?.has(f)),
        };
      }),
      refusals: [...(seen?.refusals ?? [])].reverse(),
    };
  }

  clear(session?: string | null): void {
    if (session === undefined) this.#seen.clear();
    else this.#seen.delete(session);
  }

  #of(session: string | null): Seen {
    let seen = this.#seen.get(session);
    if (!seen) {
      if (this.#seen.size >= this.maxSessions) this.#seen.delete(this.#seen.keys().next().value!);
      this.#seen.set(session, (seen = { statuses: new Map(), fields: new Map(), refusals: [] }));
    }
    return seen;
  }
}

/** `job_filter.namespace` is sent when the body has it (null counts: the client sent it). */
function hasField(body: object, keys: readonly string[]): boolean {
  let at: unknown = body;
  for (const key of keys) {
    if (typeof at !== 'object' || at === null || !(key in at)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}
