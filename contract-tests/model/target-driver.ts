import { randomUUID } from 'node:crypto';
import { keptExchange, type AuthMode, type Exchange } from '../client.js';
import { OP } from '../operations.js';
import { idFromText, type Body, type RunState, type PolicyEntry } from '../run-state.js';
import { Clock } from './clock.js';
import type { LearnedCluster } from './learned-cluster.js';
import type { AnyOp, BodySpec, ModelStep, Ref } from './model-step.js';
import {
  buildBody,
  expectedJobStatus,
  matchedJobs,
  monitoredPods,
  sameResourceList,
  sameSettings,
  unique,
  type BuiltBody,
  type ModelPolicy,
} from './policy-model.js';
import { exchangeSignature, shapeOf } from './response-shape.js';

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

const OPERATION_IDS: Record<AnyOp, string> = {
  create: OP.create,
  update: OP.update,
  delete: OP.delete,
  list: OP.list,
  sync: OP.syncJobs,
  pods: OP.pods,
  jobs: OP.jobs,
  jobStatus: OP.jobStatus,
};

const AUTH_MODES: Record<'none' | 'wrong' | 'malformed', AuthMode> = { none: 'none', wrong: 'wrong', malformed: 'malformed' };

/**
 * Runs model steps against one target and holds it to the API's meaning: each answer is checked
 * against what the model expects, and the model follows what the target accepted. `strict` throws
 * the first mismatch (model_conformance); otherwise mismatches only go into the step's signature
 * (differential_agreement compares them between targets).
 */
export class TargetDriver {
  readonly transcript: StepRecord[] = [];
  private readonly live = new Map<number, ModelPolicy>();
  private readonly deletedIds = new Map<number, string>();
  /** Every id this sequence made, and the ids list had before it began. */
  private readonly madeIds = new Set<string>();
  private before = new Set<string>();
  private current: StepRecord & { problems: string[] } = { description: '', exchanges: [], problems: [] };

  constructor(
    readonly runState: RunState,
    readonly learned: LearnedCluster,
    readonly strict: boolean,
  ) {}

  async begin(): Promise<void> {
    const { policies } = await this.runState.list();
    this.before = new Set((policies ?? []).map((p) => p.id));
  }

  /** Delete what the sequence left; the run state deletes anything still its own at the end of the run. */
  async end(): Promise<void> {
    for (const policy of this.live.values()) await this.runState.deleteId(policy.id);
    this.live.clear();
  }

  async execute(step: ModelStep, pools: Pools, description: string): Promise<StepOutcome> {
    this.current = { description, exchanges: [], problems: [] };
    this.transcript.push(this.current);
    const outcome: StepOutcome = { signature: [] };
    switch (step.op) {
      case 'create':
        await this.create(step, pools, outcome);
        break;
      case 'update':
        await this.update(step, pools);
        break;
      case 'delete':
        await this.delete(step.target, pools, outcome);
        break;
      case 'list':
        await this.list(pools);
        break;
      case 'sync':
        await this.sync();
        break;
      case 'pods':
      case 'jobs':
      case 'jobStatus':
        await this.read(step.op, step.target, pools);
        break;
      case 'inspect':
        for (const op of ['pods', 'jobs', 'jobStatus'] as const) await this.read(op, step.target, pools);
        break;
      case 'unauth':
        await this.unauthorized(step.operation, step.auth, step.target, pools);
        break;
    }
    outcome.signature.push(...this.current.exchanges.map((ex) => this.signatureOf(ex)), ...this.current.problems.map((p) => `broke: ${p}`));
    // Judged and signed: the transcript keeps what a report shows of each exchange, not whole answers.
    this.current.exchanges = this.current.exchanges.map(keptExchange);
    return outcome;
  }

  // ---- checks ----

  private expect(ok: boolean, label: string, detail: () => string, operationId: string, exchange?: Exchange): boolean {
    if (ok) return true;
    if (this.strict) throw new ModelMismatch(label, detail(), operationId, exchange);
    this.current.problems.push(label);
    return false;
  }

  private note(exchange: Exchange): Exchange {
    this.current.exchanges.push(exchange);
    return exchange;
  }

  /** A 5xx or no answer is never what the model expects. */
  private answered(exchange: Exchange): boolean {
    const { status } = exchange.response;
    return this.expect(
      status > 0 && status < 500,
      'the target answers with a declared status, never a 5xx or nothing',
      () => describe(exchange),
      exchange.operationId,
      exchange,
    );
  }

  private expectStatus(exchange: Exchange, statuses: number[], label: string): boolean {
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
  private expectRefusal(exchange: Exchange, label: string): void {
    if (!this.answered(exchange)) return;
    const op = this.runState.operation(exchange.operationId);
    const declared = op.responses.map((r) => r.status).filter((s) => s >= 400 && s < 500);
    const { status, json } = exchange.response;
    const apiError = json !== undefined && this.runState.validator.validateComponent('ApiError', json).length === 0;
    this.expect(declared.includes(status) && apiError, label, () => `answered ${describe(exchange)}`, exchange.operationId, exchange);
  }

  private resolve(ref: Ref, pools: Pools): { id: string; policy?: ModelPolicy; handle?: number } {
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

  private build(step: { body: BodySpec }, id?: string): BuiltBody {
    return buildBody(step.body, this.runState.profile, this.learned, this.runState.resourceName('model'), id);
  }

  // ---- the operations ----

  private async create(step: ModelStep & { op: 'create' }, pools: Pools, outcome: StepOutcome): Promise<void> {
    const s = this.runState;
    const taken = step.id.kind === 'taken' ? this.resolve({ pool: 'live', pick: step.id.pick }, pools) : undefined;
    const explicitId = step.id.kind === 'free' ? randomUUID() : taken?.id;
    const built = this.build(step, explicitId);
    const { exchange, id } = await s.create({ json: built.body });
    this.note(exchange);
    if (!this.answered(exchange)) return;
    const accepted = exchange.response.status === 200;
    if (taken?.policy) {
      // README: "An explicit `id` must be a free UUID (else 400)"; a refused request changes nothing.
      if (accepted) this.adoptAccidental(id);
      this.expect(
        !accepted,
        'a create with the id of an existing policy is refused (400) and changes nothing',
        () => `answered ${describe(exchange)}`,
        OP.create,
        exchange,
      );
      if (!accepted) this.expectRefusal(exchange, 'a refused create answers a declared 4xx with an ApiError body');
      return;
    }
    if (built.refusal === 'must') {
      if (accepted) this.adoptAccidental(id);
      this.expect(
        !accepted,
        `a create is refused when ${built.why} (400), and changes nothing`,
        () => `answered ${describe(exchange)}`,
        OP.create,
        exchange,
      );
      if (!accepted) this.expectRefusal(exchange, 'a refused create answers a declared 4xx with an ApiError body');
      return;
    }
    if (!accepted) {
      if (built.refusal === 'no')
        this.expect(false, 'a valid create is accepted: 200 with the new id', () => `answered ${describe(exchange)}`, OP.create, exchange);
      this.expectRefusal(exchange, 'a refused create answers a declared 4xx with an ApiError body');
      return;
    }
    const newId = id ?? idFromText(exchange.response.text);
    if (
      !this.expect(
        newId !== undefined,
        'create answers 200 text/plain with the new policy id',
        () => describe(exchange),
        OP.create,
        exchange,
      )
    )
      return;
    if (explicitId !== undefined) {
      this.expect(
        newId === explicitId,
        'a create with a free explicit id makes the policy under that id',
        () => `sent ${explicitId}, answered ${String(newId)}`,
        OP.create,
        exchange,
      );
    }
    const clash = [...this.live.values()].find((p) => p.id === newId);
    if (
      !this.expect(
        clash === undefined,
        'a create makes a new policy (its id is not one of an existing policy)',
        () => `answered ${String(newId)}`,
        OP.create,
        exchange,
      )
    )
      return;
    const handle = pools.nextHandle;
    const policy: ModelPolicy = { ...built.settings, handle, id: newId as string, timestamp: new Clock(), lastUpdated: new Clock() };
    this.resync(policy);
    this.live.set(handle, policy);
    this.madeIds.add(policy.id);
    outcome.created = handle;
    this.current.description += ` (policy #${handle})`;
  }

  private async update(step: ModelStep & { op: 'update' }, pools: Pools): Promise<void> {
    const target = this.resolve(step.target, pools);
    const built = this.build(step, target.id);
    const policy = target.policy;
    // The change must show as a new time: wait out the target's clock resolution first.
    const movable = policy ? await policy.timestamp.settle() : false;
    const syncMovable = policy ? await policy.lastUpdated.settle() : false;
    const exchange = this.note(await this.runState.update({ json: built.body }));
    if (!this.answered(exchange)) return;
    const accepted = exchange.response.status === 200;
    if (!policy || built.refusal === 'must') {
      const why = !policy ? 'its id names no policy (README: "a required `id` of an existing policy (else 400)")' : built.why;
      this.expect(
        !accepted,
        `an update is refused when ${why}, and changes nothing`,
        () => `answered ${describe(exchange)}`,
        OP.update,
        exchange,
      );
      if (!accepted) this.expectRefusal(exchange, 'a refused update answers a declared 4xx with an ApiError body');
      return;
    }
    if (!accepted) {
      if (built.refusal === 'no')
        this.expect(
          false,
          'a valid update of a policy of this run is accepted: 200 with its id',
          () => `answered ${describe(exchange)}`,
          OP.update,
          exchange,
        );
      this.expectRefusal(exchange, 'a refused update answers a declared 4xx with an ApiError body');
      return;
    }
    const answered = idFromText(exchange.response.text);
    this.expect(
      answered === policy.id,
      'update answers 200 text/plain with the policy id',
      () => `answered ${String(answered)}`,
      OP.update,
      exchange,
    );
    const changed = !sameSettings(policy, built.settings);
    const wasJobs = policy.kind === 'jobs';
    Object.assign(policy, built.settings);
    this.resync(policy);
    // README: `timestamp` = last change; job-status is "as of the last sync (create, update or sync-jobs)".
    policy.timestamp.changed(changed && movable);
    if (policy.kind !== 'jobs' || !wasJobs) policy.lastUpdated.reset();
    else policy.lastUpdated.changed(changed && syncMovable);
  }

  private async delete(ref: Ref, pools: Pools, outcome: StepOutcome): Promise<void> {
    const target = this.resolve(ref, pools);
    const exchange = this.note(await this.runState.deleteId(target.id));
    if (!this.answered(exchange)) return;
    const accepted = exchange.response.status === 200;
    if (!target.policy || target.handle === undefined) {
      this.expect(
        !accepted,
        'a delete of an id that names no policy (unknown, or deleted already) is refused (400)',
        () => `answered ${describe(exchange)}`,
        OP.delete,
        exchange,
      );
      if (!accepted) this.expectRefusal(exchange, 'a refused delete answers a declared 4xx with an ApiError body');
      return;
    }
    if (!this.expectStatus(exchange, [200], 'a delete of a policy of this run → 200')) return;
    this.live.delete(target.handle);
    this.deletedIds.set(target.handle, target.id);
    outcome.deleted = target.handle;
  }

  private async sync(): Promise<void> {
    const jobsPolicies = [...this.live.values()].filter((p) => p.kind === 'jobs');
    const movable = new Map<ModelPolicy, boolean>();
    for (const p of jobsPolicies) movable.set(p, await p.lastUpdated.settle());
    const exchange = this.note(await this.runState.syncJobs());
    if (!this.expectStatus(exchange, [200], 'sync-jobs → 200')) return;
    for (const p of jobsPolicies) {
      this.resync(p);
      p.lastUpdated.changed(movable.get(p) ?? false);
    }
    // README does not say whether a sync is a "change" of a policy: its list timestamp may stay or move on.
    for (const p of jobsPolicies) p.timestamp.changed(false);
  }

  private resync(policy: ModelPolicy): void {
    if (policy.kind !== 'jobs') {
      policy.synced = undefined;
      return;
    }
    const jobIds = new Set(matchedJobs(policy, this.learned));
    policy.synced = { jobIds, podIds: monitoredPods(policy, this.learned), jobStatus: expectedJobStatus(jobIds, this.learned) };
  }

  private async list(pools: Pools): Promise<void> {
    const s = this.runState;
    const { exchange, policies } = await s.list();
    this.note(exchange);
    if (!this.expectStatus(exchange, [200], 'list → 200 with an array')) return;
    if (!this.expect(policies !== undefined, 'list → 200 with an array', () => describe(exchange), OP.list, exchange)) return;
    const listed = policies ?? [];
    for (const handle of pools.live) {
      const policy = this.live.get(handle);
      if (!policy) continue;
      const entries = listed.filter((e) => e.id === policy.id);
      if (
        !this.expect(
          entries.length === 1,
          'list shows each policy of this run that is not deleted, once',
          () => `policy #${handle} (${policy.id}) listed ${entries.length} times`,
          OP.list,
          exchange,
        )
      )
        continue;
      this.checkEntry(policy, entries[0] as PolicyEntry, exchange);
    }
    for (const [handle, id] of this.deletedIds) {
      this.expect(
        !listed.some((e) => e.id === id),
        'a deleted policy is gone from list',
        () => `deleted policy #${handle} (${id}) is listed`,
        OP.list,
        exchange,
      );
    }
    const strangers = listed.map((e) => e.id).filter((id) => !this.before.has(id) && !this.madeIds.has(id));
    const ours = s.adoptNew(strangers);
    this.expect(
      ours.length === 0,
      'no policy appears that no accepted create made (a refused request changes nothing)',
      () => `new in list: ${ours.join(', ')}`,
      OP.list,
      exchange,
    );
  }

  private checkEntry(p: ModelPolicy, e: PolicyEntry, exchange: Exchange): void {
    const where = `policy #${p.handle} (${p.id})`;
    const field = (label: string, ok: boolean, shown: unknown, want: unknown) =>
      this.expect(
        ok,
        label,
        () => `${where}: list shows ${JSON.stringify(shown)}, the model expects ${JSON.stringify(want)}`,
        OP.list,
        exchange,
      );
    const entry = e as PolicyEntry & { status?: unknown };
    // README: `status` "active", `input` = heartbeat_time, `resource_list` = resource ids; `resource` defaults to pods, `policy_type` to heartbeat.
    field('list status is "active"', entry.status === 'active', entry.status, 'active');
    field('list policy_type is the one sent, heartbeat by default', entry.policy_type === 'heartbeat', entry.policy_type, 'heartbeat');
    field('list input is the heartbeat_time sent', entry.input === p.heartbeat, entry.input, p.heartbeat);
    field('list resource is the kind sent (pods when none was sent)', entry.resource === p.kind, entry.resource, p.kind);
    field(
      'list resource_list is the resource_ids sent',
      sameResourceList(entry.resource_list, p.resourceIds),
      entry.resource_list,
      p.resourceIds,
    );
    const pods = monitoredPods(p, this.learned);
    if (pods)
      field('list pod_count is the number of distinct pods the policy monitors', entry.pod_count === pods.size, entry.pod_count, pods.size);
    if (p.kind === 'jobs') {
      const jobs = matchedJobs(p, this.learned).length;
      field('list job_count is the number of distinct jobs a jobs policy matches', entry.job_count === jobs, entry.job_count, jobs);
    } else {
      // README: `job_count` = matched jobs (jobs policies; null otherwise).
      field('list job_count is null for a policy that is not a jobs policy', entry.job_count == null, entry.job_count, null);
    }
    const moved = p.timestamp.observe(entry.timestamp);
    if (moved) {
      const label = moved.moved
        ? 'list timestamp moves forward when the policy changes (README: `timestamp` = last change)'
        : 'list timestamp stays as it was while the policy does not change (reads, refusals, other policies)';
      this.expect(
        false,
        label,
        () => `${where}: was ${JSON.stringify(moved.from)}, now ${JSON.stringify(entry.timestamp)}`,
        OP.list,
        exchange,
      );
    }
  }

  private async read(op: 'pods' | 'jobs' | 'jobStatus', ref: Ref, pools: Pools): Promise<void> {
    const s = this.runState;
    const target = this.resolve(ref, pools);
    const exchange = this.note(await (op === 'pods' ? s.pods(target.id) : op === 'jobs' ? s.jobs(target.id) : s.jobStatus(target.id)));
    const p = target.policy;
    const what = op === 'jobStatus' ? '/job-status' : `/${op}`;
    if (!p) {
      const status = op === 'pods' && ref.pool === 'malformed' ? 400 : 404;
      this.expectStatus(
        exchange,
        [status],
        `${what} of ${ref.pool === 'malformed' ? 'a malformed id' : 'an id that names no policy'} → ${status}`,
      );
      return;
    }
    if (op !== 'pods' && p.kind !== 'jobs') {
      this.expectStatus(exchange, [404], `${what} of a policy that is not a jobs policy → 404`);
      return;
    }
    if (!this.expectStatus(exchange, [200], `${what} of a ${p.kind} policy of this run → 200`)) return;
    const body = exchange.response.json;
    const where = `policy #${p.handle} (${p.id})`;
    const sameSet = (label: string, got: unknown, want: Set<string> | undefined) => {
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
    };
    if (op === 'pods') {
      sameSet('/pods lists the pods the policy monitors', body, monitoredPods(p, this.learned));
      return;
    }
    const b = (body ?? {}) as Record<string, unknown>;
    this.expect(
      b.policy_id === p.id,
      `${what} policy_id is the policy's id`,
      () => `${where}: ${JSON.stringify(b.policy_id)}`,
      exchange.operationId,
      exchange,
    );
    if (op === 'jobs') {
      const matched = new Set(matchedJobs(p, this.learned));
      sameSet(
        '/jobs affected_jobs are the jobs the policy matches (its resource_ids, or every job, narrowed by job_filter)',
        b.affected_jobs,
        matched,
      );
      this.expect(
        b.count === matched.size,
        '/jobs count is the number of jobs matched',
        () => `${where}: count ${JSON.stringify(b.count)}, the model expects ${matched.size}`,
        OP.jobs,
        exchange,
      );
      // README: "Counts agree everywhere": each job's pod_count is the number of its pods (/pods of a policy on it).
      const affected = Array.isArray(b.affected_jobs) ? (b.affected_jobs as { id?: unknown; pod_count?: unknown }[]) : [];
      const miscounted = affected.filter((j) => {
        const pods = this.learned.jobPods.get(String(j?.id));
        return pods !== undefined && j?.pod_count !== pods.size;
      });
      this.expect(
        miscounted.length === 0,
        "/jobs affected_jobs[].pod_count is the number of the job's pods (as /pods of a jobs policy on that job lists them)",
        () =>
          `${where}: ${miscounted
            .map(
              (j) => `job ${String(j.id)} pod_count ${JSON.stringify(j.pod_count)}, ${this.learned.jobPods.get(String(j.id))?.size} pod(s)`,
            )
            .join('; ')}`,
        OP.jobs,
        exchange,
      );
      return;
    }
    const synced = p.synced;
    sameSet('/job-status job_ids are the jobs matched at the last sync (create, update or sync-jobs)', b.job_ids, synced?.jobIds);
    sameSet('/job-status tracked_pods are the pods of the jobs matched at the last sync', b.tracked_pods, synced?.podIds);
    const wantStatus = synced?.jobStatus;
    if (wantStatus !== undefined) {
      this.expect(
        wantStatus === null ? b.job_status == null : b.job_status === wantStatus,
        '/job-status job_status is the most urgent status of the jobs tracked at the last sync, as /jobs reports them (README: "Running, Suspended, Failed, Complete"), null when none is tracked',
        () => `${where}: job_status ${JSON.stringify(b.job_status)}, the model expects ${JSON.stringify(wantStatus)}`,
        OP.jobStatus,
        exchange,
      );
    }
    const tracked = Array.isArray(b.tracked_pods) ? b.tracked_pods.length : undefined;
    this.expect(
      b.pod_count === tracked,
      '/job-status pod_count is the number of tracked_pods',
      () => `${where}: pod_count ${JSON.stringify(b.pod_count)}, ${String(tracked)} tracked_pods`,
      OP.jobStatus,
      exchange,
    );
    const moved = p.lastUpdated.observe(b.last_updated);
    if (moved) {
      const label = moved.moved
        ? '/job-status last_updated moves forward at each sync of the policy (create, update, sync-jobs)'
        : '/job-status last_updated stays as it was between syncs';
      this.expect(
        false,
        label,
        () => `${where}: was ${JSON.stringify(moved.from)}, now ${JSON.stringify(b.last_updated)}`,
        OP.jobStatus,
        exchange,
      );
    }
  }

  private async unauthorized(operation: AnyOp, auth: 'none' | 'wrong' | 'malformed', ref: Ref, pools: Pools): Promise<void> {
    const s = this.runState;
    const target = this.resolve(ref, pools);
    const operationId = OPERATION_IDS[operation];
    const body: Body = {
      heartbeat_time: 77,
      resource_ids: [s.profile.podIds[0]],
      cluster_id: s.profile.clusterId,
      resource_name: s.resourceName('model-auth'),
    };
    const json =
      operation === 'create'
        ? body
        : operation === 'update'
          ? { ...body, id: target.id }
          : operation === 'delete'
            ? { id: target.id }
            : undefined;
    const op = s.operation(operationId);
    const exchange = this.note(
      await s.send({
        operationId,
        auth: AUTH_MODES[auth],
        ...(op.pathParameters.length > 0 ? { pathId: target.id } : {}),
        ...(json ? { json } : {}),
      }),
    );
    if (operation === 'create' && exchange.response.status === 200) this.adoptAccidental(idFromText(exchange.response.text));
    const { status, json: answer } = exchange.response;
    const apiError = answer !== undefined && s.validator.validateComponent('ApiError', answer).length === 0;
    this.expect(
      (status === 401 || status === 403) && apiError,
      'a request without a valid bearer token is refused (401/403 with an ApiError) and changes nothing',
      () => `answered ${describe(exchange)}`,
      operationId,
      exchange,
    );
  }

  /** A create that should have been refused made a policy: it is ours to delete, never the model's to judge further. */
  private adoptAccidental(id: string | undefined): void {
    if (id === undefined) return;
    this.runState.own.add(id);
    this.madeIds.add(id);
  }

  // ---- the differential's view ----

  private signatureOf(exchange: Exchange): string {
    const body = exchange.response.json;
    if (exchange.operationId !== OP.list || !Array.isArray(body)) return exchangeSignature(exchange);
    // Only this run's policies, by handle: everything else in list is each target's own data.
    const byId = new Map([...this.live.values()].map((p) => [p.id, p.handle]));
    const own = (body as PolicyEntry[])
      .filter((e) => typeof e === 'object' && e !== null && byId.has(e.id))
      .map((e) => {
        const entry = e as PolicyEntry & Record<string, unknown>;
        // Values that mean the same on any target; the rest by shape (present, null, type).
        return {
          handle: byId.get(e.id),
          fields: shapeOf(entry),
          resource: entry.resource,
          status: entry.status,
          policy_type: entry.policy_type,
        };
      })
      .sort((a, b) => (a.handle ?? 0) - (b.handle ?? 0));
    return `${exchangeSignature(exchange, [])} own: ${JSON.stringify(own)}`;
  }
}

export function describe(exchange: Exchange): string {
  const r = exchange.response;
  if (r.status === 0) return `no answer (${r.error ?? 'unknown error'})`;
  const text = r.text.length > 300 ? `${r.text.slice(0, 300)}…` : r.text;
  return `${r.status} ${r.mediaType || '(no content type)'} ${text}`;
}
