import type { Exchange } from '../client.js';
import { sameResourceList } from '../model/policy-model.js';
import { OP, type ResourceKind } from '../operations.js';
import { idFromText, type PolicyEntry } from '../run-state.js';
import { judgement, type Judgement } from './judgement.js';

/** Two reads further apart than this are not compared: a live cluster changes in between. */
export const CONSISTENCY_WINDOW_MS = 5_000;
/** Policies (and deleted ids) remembered at most; the oldest are forgotten, and then not judged. */
const REMEMBERED = 10_000;

interface Known {
  kind: ResourceKind;
  resourceIds: string[];
  heartbeat: unknown;
}

/** What one read showed of a policy, stamped with the writes seen before it and when it ended. */
interface Seen<T> {
  writes: number;
  at: number;
  value: T;
}

/** Where an exchange began in the history: the writes started and in flight then. */
export interface Begun {
  writes: number;
  inFlight: number;
  write: boolean;
}

export interface Answered {
  exchange: Exchange;
  pathId?: string | undefined;
  /** The request's JSON body. */
  json: unknown;
  /** The body breaks its schema (it must have been refused). */
  invalidBody: boolean;
  /** The answer is not the backend's own (`Prefer`) or came without the token. */
  untrusted: boolean;
}

/**
 * The stateful rules over one history of observed traffic: what was created, updated, deleted and
 * synced, and what later reads must then show. It judges only what it knows: a policy's settings
 * once an accepted create or update sent them all, a read only when no write overlapped it, two
 * reads only when nothing that could change them came between (and within the window). Anything
 * uncertain (an unanswered write, overlapping writes, a write outside the spec) is forgotten.
 */
export class SessionHistory {
  private writes = 0;
  private inFlight = 0;
  /** Writes count at the last change that may touch every policy (sync, a write of unknown effect). */
  private everyone = 0;
  private readonly known = new Map<string, Known>();
  private readonly deleted = new Set<string>();
  /** Writes count at the last change of each known policy. */
  private readonly changed = new Map<string, number>();
  /** Jobs policies: writes count and time of their last sync (create, update or sync-jobs). */
  private readonly synced = new Map<string, { writes: number; at: number }>();
  private readonly listed = new Map<string, Seen<PolicyEntry>>();
  private readonly pods = new Map<string, Seen<string[]>>();
  private readonly jobs = new Map<string, Seen<{ count: unknown; ids: string[] }>>();
  private readonly status = new Map<string, Seen<Record<string, unknown>>>();

  begin(write: boolean): Begun {
    const begun = { writes: this.writes, inFlight: this.inFlight, write };
    if (write) {
      this.writes++;
      this.inFlight++;
    }
    return begun;
  }

  end(begun: Begun, answered: Answered): Judgement[] {
    if (begun.write) {
      this.inFlight--;
      // Alone: nothing else was written while it ran, so its effect lands in a known order.
      const alone = begun.inFlight === 0 && this.writes === begun.writes + 1;
      return this.write(answered, alone);
    }
    if (begun.inFlight > 0 || this.writes !== begun.writes || answered.untrusted) return [];
    return this.read(answered);
  }

  // ---- writes ----

  private write(a: Answered, alone: boolean): Judgement[] {
    const { exchange } = a;
    const { operationId } = exchange;
    const { status } = exchange.response;
    const id = operationId === OP.create ? idFromText(exchange.response.text) : bodyId(a.json);
    const accepted = status >= 200 && status < 300 && !a.untrusted;
    if (status >= 400 && status < 500 && !a.untrusted) {
      // A refused request changes nothing; of a deleted policy, refusing is what must happen.
      if (id === undefined || !this.deleted.has(id) || operationId === OP.create) return [];
      return [judgement('use_after_free', operationId, true, 'a write of a deleted policy is refused')];
    }
    const isPolicyWrite = operationId === OP.create || operationId === OP.update || operationId === OP.delete;
    if (!isPolicyWrite && operationId !== OP.syncJobs) {
      this.forgetAll(); // a write outside the spec (a reset, say): anything may have changed
      return [];
    }
    if (!accepted || !alone) {
      // Unknown effect or order: forget what it may have touched.
      if (operationId === OP.syncJobs) {
        this.everyone = this.writes;
        this.synced.clear();
      }
      for (const touched of [id, bodyId(a.json)]) if (touched !== undefined) this.forget(touched);
      return [];
    }
    const out: Judgement[] = [];
    const now = Date.now();
    if (operationId === OP.syncJobs) {
      this.everyone = this.writes;
      for (const [policyId, p] of this.known) if (p.kind === 'jobs') this.synced.set(policyId, { writes: this.writes, at: now });
      return out;
    }
    if (id === undefined) return out;
    if (operationId !== OP.create && this.deleted.has(id)) {
      const what = operationId === OP.update ? 'an update' : 'a delete';
      out.push(judgement('use_after_free', operationId, false, `${what} of a deleted policy is refused (400)`, { exchange }));
    }
    this.forget(id);
    if (operationId === OP.delete) {
      remember(this.deleted, id);
      return out;
    }
    this.deleted.delete(id);
    const settings = a.invalidBody ? undefined : settingsOf(a.json);
    if (!settings) return out;
    remember(this.known, id, settings);
    this.changed.set(id, this.writes);
    if (settings.kind === 'jobs') this.synced.set(id, { writes: this.writes, at: now });
    return out;
  }

  private forget(id: string): void {
    for (const map of [this.known, this.changed, this.synced, this.listed, this.pods, this.jobs, this.status]) map.delete(id);
    this.deleted.delete(id);
  }

  private forgetAll(): void {
    for (const map of [this.known, this.changed, this.synced, this.listed, this.pods, this.jobs, this.status]) map.clear();
    this.deleted.clear();
    this.everyone = this.writes;
  }

  // ---- reads ----

  private read(a: Answered): Judgement[] {
    const { exchange, pathId } = a;
    const { status, json } = exchange.response;
    const op = exchange.operationId;
    if (op === OP.list) return status === 200 && Array.isArray(json) ? this.list(exchange, json as unknown[]) : [];
    if (pathId === undefined || !(op === OP.pods || op === OP.jobs || op === OP.jobStatus)) return [];
    const what = op === OP.pods ? '/pods' : op === OP.jobs ? '/jobs' : '/job-status';
    if (this.deleted.has(pathId)) {
      return [judgement('use_after_free', op, status === 404, `${what} of a deleted policy → 404`, { exchange })];
    }
    const p = this.known.get(pathId);
    if (!p) return [];
    if (op !== OP.pods && p.kind !== 'jobs') {
      return [
        judgement('cross_endpoint_consistency', op, status === 404, `${what} of a ${p.kind} policy (not a jobs policy) → 404`, {
          exchange,
        }),
      ];
    }
    if (status !== 200 || json === undefined) return [];
    if (op === OP.pods) return this.podsRead(exchange, pathId, p, json);
    if (op === OP.jobs) return this.jobsRead(exchange, pathId, json);
    return this.statusRead(exchange, pathId, json);
  }

  /** The writes count before which nothing has changed a policy since. */
  private lastChange(id: string): number {
    return Math.max(this.changed.get(id) ?? 0, this.everyone);
  }

  /** An earlier read still showing the policy as it is now (nothing changed it since, and recent). */
  private current<T>(map: Map<string, Seen<T>>, id: string): T | undefined {
    const seen = map.get(id);
    if (!seen || seen.writes < this.lastChange(id) || seen.writes !== this.writes || Date.now() - seen.at > CONSISTENCY_WINDOW_MS)
      return undefined;
    return seen.value;
  }

  private stamp<T>(value: T): Seen<T> {
    return { writes: this.writes, at: Date.now(), value };
  }

  private list(exchange: Exchange, body: unknown[]): Judgement[] {
    const out: Judgement[] = [];
    const entries = body.filter((e): e is PolicyEntry => typeof e === 'object' && e !== null && typeof (e as PolicyEntry).id === 'string');
    for (const e of entries) {
      if (this.deleted.has(e.id)) {
        out.push(
          judgement('lifecycle', OP.list, false, 'a deleted policy is gone from list', {
            exchange,
            actual: `deleted policy ${e.id} is listed`,
          }),
        );
      }
    }
    for (const [id, p] of this.known) {
      const found = entries.filter((e) => e.id === id);
      const where = `policy ${id}`;
      out.push(
        judgement('lifecycle', OP.list, found.length === 1, 'list shows each policy created or updated (and not deleted) once', {
          exchange,
          actual: `${where} listed ${found.length} times`,
        }),
      );
      const entry = found[0];
      if (found.length !== 1 || !entry) continue;
      const field = (label: string, ok: boolean, shown: unknown, want: unknown) =>
        judgement('lifecycle', OP.list, ok, label, {
          exchange,
          actual: `${where}: list shows ${JSON.stringify(shown)}, was sent ${JSON.stringify(want)}`,
        });
      out.push(
        field('list input is the heartbeat_time last sent (create or update)', entry.input === p.heartbeat, entry.input, p.heartbeat),
        field('list resource is the kind last sent (pods when none was)', entry.resource === p.kind, entry.resource, p.kind),
        field(
          'list resource_list is the resource_ids last sent',
          sameResourceList(entry.resource_list, p.resourceIds),
          entry.resource_list,
          p.resourceIds,
        ),
      );
      const before = this.current(this.listed, id);
      if (before !== undefined && JSON.stringify(before.timestamp) !== JSON.stringify(entry.timestamp)) {
        out.push(
          judgement('model_conformance', OP.list, false, 'list timestamp stays as it was while the policy does not change', {
            exchange,
            actual: `${where}: was ${JSON.stringify(before.timestamp)}, now ${JSON.stringify(entry.timestamp)}`,
          }),
        );
      }
      const pods = this.current(this.pods, id);
      if (pods) out.push(podCount(exchange, id, entry.pod_count, pods.length));
      const jobs = this.current(this.jobs, id);
      if (jobs && p.kind === 'jobs' && entry.job_count !== undefined) out.push(jobCount(exchange, id, entry.job_count, jobs.count));
      this.listed.set(id, this.stamp(entry));
    }
    return out;
  }

  private podsRead(exchange: Exchange, id: string, p: Known, json: unknown): Judgement[] {
    if (!Array.isArray(json)) return [];
    const ids = json.map((pod) => String((pod as { id?: unknown } | null)?.id));
    const out: Judgement[] = [];
    if (p.kind === 'pods') {
      const strays = ids.filter((pod) => !p.resourceIds.includes(pod));
      out.push(
        judgement('cross_endpoint_consistency', OP.pods, strays.length === 0, 'every pod of a pods policy is one of its resource_ids', {
          exchange,
          actual: `not requested: ${strays.join(', ')}`,
        }),
      );
    }
    const entry = this.current(this.listed, id);
    if (entry) out.push(podCount(exchange, id, entry.pod_count, ids.length));
    this.pods.set(id, this.stamp(ids));
    return [...out, ...this.afterSync(exchange, id)];
  }

  private jobsRead(exchange: Exchange, id: string, json: unknown): Judgement[] {
    const body = json as { count?: unknown; affected_jobs?: unknown };
    if (!Array.isArray(body.affected_jobs)) return [];
    const out: Judgement[] = [];
    const entry = this.current(this.listed, id);
    if (entry && entry.job_count !== undefined) out.push(jobCount(exchange, id, entry.job_count, body.count));
    this.jobs.set(id, this.stamp({ count: body.count, ids: body.affected_jobs.map((j) => String((j as { id?: unknown } | null)?.id)) }));
    return [...out, ...this.afterSync(exchange, id)];
  }

  private statusRead(exchange: Exchange, id: string, json: unknown): Judgement[] {
    const body = json as Record<string, unknown>;
    const out: Judgement[] = [];
    const before = this.status.get(id);
    if (before && before.writes >= this.lastChange(id)) {
      // Job-status is "as of the last sync (create, update or sync-jobs)": nothing else moves it.
      const moved = ['job_ids', 'tracked_pods', 'last_updated'].filter((k) => JSON.stringify(before.value[k]) !== JSON.stringify(body[k]));
      out.push(
        judgement(
          'model_conformance',
          OP.jobStatus,
          moved.length === 0,
          '/job-status stays as it was between syncs (create, update or sync-jobs)',
          {
            exchange,
            actual: `policy ${id}: ${moved.map((k) => `${k} was ${JSON.stringify(before.value[k])}, now ${JSON.stringify(body[k])}`).join('; ')}`,
          },
        ),
      );
    }
    this.status.set(id, this.stamp(body));
    return [...out, ...this.afterSync(exchange, id)];
  }

  /** Right after a sync of a jobs policy, job-status tracks exactly the pods of /pods and the jobs of /jobs. */
  private afterSync(exchange: Exchange, id: string): Judgement[] {
    const sync = this.synced.get(id);
    if (!sync || sync.writes < this.lastChange(id) || Date.now() - sync.at > CONSISTENCY_WINDOW_MS) return [];
    const status = this.current(this.status, id);
    const pods = this.current(this.pods, id);
    const jobs = this.current(this.jobs, id);
    if (!status || !Array.isArray(status.tracked_pods) || !Array.isArray(status.job_ids)) return [];
    const out: Judgement[] = [];
    const sameSet = (a: unknown[], b: unknown[]) =>
      a.length === b.length && new Set(a.map(String)).size === new Set([...a, ...b].map(String)).size;
    if (pods) {
      out.push(
        judgement(
          'cross_endpoint_consistency',
          OP.syncJobs,
          sameSet(status.tracked_pods, pods),
          'after a sync, /job-status tracked_pods are the pods of /pods',
          {
            exchange,
            actual: `policy ${id}: tracked_pods ${JSON.stringify(status.tracked_pods)}, /pods ids ${JSON.stringify(pods)}`,
          },
        ),
      );
    }
    if (jobs) {
      out.push(
        judgement(
          'cross_endpoint_consistency',
          OP.syncJobs,
          sameSet(status.job_ids, jobs.ids),
          'after a sync, /job-status job_ids are the jobs of /jobs',
          {
            exchange,
            actual: `policy ${id}: job_ids ${JSON.stringify(status.job_ids)}, /jobs ids ${JSON.stringify(jobs.ids)}`,
          },
        ),
      );
    }
    return out;
  }
}

const podCount = (exchange: Exchange, id: string, listed: unknown, length: number) =>
  judgement('cross_endpoint_consistency', exchange.operationId, listed === length, 'list pod_count equals the length of /pods', {
    exchange,
    actual: `policy ${id}: list pod_count ${String(listed)}, /pods has ${length}`,
  });

const jobCount = (exchange: Exchange, id: string, listed: unknown, count: unknown) =>
  judgement('cross_endpoint_consistency', exchange.operationId, listed === count, 'list job_count equals /jobs count', {
    exchange,
    actual: `policy ${id}: list job_count ${String(listed)}, /jobs count ${String(count)}`,
  });

function bodyId(json: unknown): string | undefined {
  const id = (json as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** What an accepted create or update body says of the policy (the schema already holds). */
function settingsOf(json: unknown): Known | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const b = json as { resource?: unknown; resource_ids?: unknown; heartbeat_time?: unknown };
  const kind = (b.resource ?? 'pods') as ResourceKind;
  return Array.isArray(b.resource_ids) ? { kind, resourceIds: b.resource_ids.map(String), heartbeat: b.heartbeat_time } : undefined;
}

/** Adds to a bounded set or map: past the bound, the oldest entry is forgotten. */
function remember<K, V>(store: Set<K> | Map<K, V>, key: K, value?: V): void {
  store.delete(key);
  if (store instanceof Map) store.set(key, value as V);
  else store.add(key);
  if (store.size > REMEMBERED) store.delete(store.keys().next().value as K);
}
