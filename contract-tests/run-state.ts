import { randomBytes } from 'node:crypto';
import { ApiClient, type Exchange, type RequestSpec } from './client.js';
import type { ContractOptions } from './config.js';
import { withRunDefaults, type ResolvedOptions } from './defaults.js';
import { counts } from './basis.js';
import type { Failure } from './failure.js';
import type { ExchangeJudge } from './judge.js';
import { inReportOrder, OP } from './operations.js';
import { Recorder } from './recorder.js';
import { listOperations, loadSpec, type Operation, type SpecDocument } from './spec.js';
import { SpecValidator } from './validator.js';
import { SeededRandom } from './seeded-random.js';
import { HarLog } from './report/har.js';
import { COMPARE_TOKEN_VARIABLE, headerSecrets, secretMasker, TOKEN_VARIABLE } from './secret-mask.js';

/** A list entry as the suite reads it (its schema is judged separately). */
export interface PolicyEntry {
  id: string;
  input?: unknown;
  resource?: unknown;
  resource_list?: unknown;
  pod_count?: unknown;
  job_count?: unknown;
  policy_type?: unknown;
  timestamp?: unknown;
}

export type Body = Record<string, unknown>;

/**
 * State of one run against one target: the client, what was observed, and the policies the suite
 * created (the only ones it ever updates or deletes).
 */
export class RunState {
  readonly runId = randomBytes(4).toString('hex');
  readonly recorder = new Recorder();
  readonly spec: SpecDocument;
  readonly validator: SpecValidator;
  readonly operations = new Map<string, Operation>();
  readonly client: ApiClient;
  readonly random: SeededRandom;
  /** The rule whose scenario is running; judges' failures are attributed to it. */
  phase: string = 'setup';
  /** Policies this run created and has not deleted. */
  readonly own = new Set<string>();
  /** Policy ids seen in a list (to find a created policy by diffing), up to KNOWN_ID_CHARS of them. */
  private readonly knownIds = new Set<string>();
  private knownIdChars = 0;
  /** The last list, by id: what a policy that appeared looks like. */
  private readonly lastListed = new Map<string, PolicyEntry>();
  /** Every heartbeat_time this run sent in a create or update: its fingerprint in list's `input`. */
  private readonly sentHeartbeats = new Set<unknown>();
  /** Ids listed before the run began: never touched. */
  baselineIds?: ReadonlySet<string>;
  exchanges = 0;
  /** Operations this run has sent a request to. */
  readonly sentTo = new Set<string>();
  /** Set once the run's deadline passes: nothing after it is judged, and requests are no longer sent. */
  stoppedBecause?: string;
  /** Set when the run stopped because of the set-up, not the target's conformance (it stopped answering). */
  setupProblem?: string;
  /** Requests in a row the target left without a complete answer within the request timeout. */
  private silentInARow = 0;
  private readonly stopper = new AbortController();
  /** Every exchange, bounded, when a HAR file was asked for. */
  readonly harLog?: HarLog;
  /** Every secret of the run (the token, the compare target's, the extra headers' values), masked in any spelling: reports apply it after each transformation. */
  readonly mask: (text: string) => string;

  readonly options: ResolvedOptions;

  /** `judges` see every exchange; given by the runner, so that the run state knows no rule. */
  constructor(
    options: ContractOptions,
    private readonly judges: readonly ExchangeJudge[] = [],
  ) {
    this.options = withRunDefaults(options);
    this.spec = loadSpec();
    this.validator = new SpecValidator(this.spec);
    for (const op of listOperations(this.spec)) this.operations.set(op.operationId, op);
    this.random = new SeededRandom(options.seed);
    this.mask = secretMasker([
      [options.token, TOKEN_VARIABLE],
      [options.compare?.token, COMPARE_TOKEN_VARIABLE],
      ...headerSecrets(options.headers),
    ]);
    if (options.har) this.harLog = new HarLog(options.har.maxEntries, options.har.bodyChars);
    this.client = new ApiClient({
      baseUrl: options.baseUrl,
      token: options.token,
      runId: this.runId,
      requestTimeoutMs: this.options.requestTimeoutMs,
      maxResponseBytes: this.options.maxResponseBytes,
      headers: options.headers,
      tls: options.tls,
      onExchange: (exchange, timing) => {
        this.harLog?.add({ exchange, ...timing });
        this.judge(exchange);
      },
    });
    this.client.stop = this.stopper.signal;
  }

  /** Stop the run: in-flight requests are cancelled, later ones not sent (clean-up excepted). */
  stop(reason: string, setupProblem = false): void {
    if (this.stoppedBecause === undefined && setupProblem) this.setupProblem = reason;
    this.stoppedBecause ??= reason;
    this.stopper.abort();
  }

  /** A target that leaves SILENT_REQUESTS_LIMIT requests in a row unanswered has stopped answering: a set-up problem. */
  private noteAnswer(response: Exchange['response']): void {
    if (!response.timedOut) {
      if (response.status !== 0) this.silentInARow = 0;
      return;
    }
    if (++this.silentInARow < SILENT_REQUESTS_LIMIT) return;
    const seconds = this.options.requestTimeoutMs / 1000;
    this.stop(
      `the target stopped answering: ${this.silentInARow} requests in a row got no complete answer within the request timeout (${seconds} s)`,
      true,
    );
  }

  get stopped(): boolean {
    return this.stoppedBecause !== undefined;
  }

  get profile() {
    return this.options.profile;
  }

  log(line: string): void {
    this.options.log?.(this.mask(line));
  }

  /** The spec's operations, in the report's order. */
  operationsInOrder(): Operation[] {
    return inReportOrder(this.operations.values());
  }

  operation(operationId: string): Operation {
    const op = this.operations.get(operationId);
    if (!op) throw new Error(`the spec has no operation ${operationId}`);
    return op;
  }

  /** A resource name that says which run made the policy. */
  resourceName(label: string): string {
    return `contract-${this.runId}-${label}`;
  }

  send(spec: Omit<RequestSpec, 'method' | 'path'> & { pathId?: string; path?: string }): Promise<Exchange> {
    const op = this.operation(spec.operationId);
    this.sentTo.add(op.operationId);
    const path = spec.path ?? op.path.replace(/\{[^}]+\}/g, encodePathId(spec.pathId ?? ''));
    return this.client.send({ ...spec, method: op.method, path });
  }

  // ---- the operations, as a user calls them ----

  /** `fresh`: the ids listed that no earlier list had (as far as the suite keeps track: KNOWN_ID_CHARS). */
  async list(): Promise<{ exchange: Exchange; policies?: PolicyEntry[]; fresh?: string[] }> {
    const exchange = await this.send({ operationId: OP.list });
    const body = exchange.response.json;
    if (exchange.response.status !== 200 || !Array.isArray(body)) return { exchange };
    const policies = body.filter((p): p is PolicyEntry => typeof p === 'object' && p !== null && typeof (p as PolicyEntry).id === 'string');
    this.lastListed.clear();
    const fresh: string[] = [];
    for (const p of policies) {
      this.lastListed.set(p.id, p);
      if (this.knownIds.has(p.id)) continue;
      fresh.push(p.id);
      // Past the bound an id is not remembered: it looks new again, and adoptNew's fingerprint check still holds.
      if (this.knownIdChars + p.id.length > KNOWN_ID_CHARS) continue;
      this.knownIds.add(p.id);
      this.knownIdChars += p.id.length;
    }
    return { exchange, policies, fresh };
  }

  /**
   * Takes on, for clean-up, the policies among `ids` (new in list, no id answered for them) that
   * carry this run's fingerprint: an `input` it sent and only the profile's resources. Anything
   * else may be someone else's on a shared target: it is left alone and reported at the end.
   */
  adoptNew(ids: Iterable<string>): string[] {
    const { podIds, namespaceIds, jobIds } = this.options.profile;
    const ours = new Set<unknown>([...podIds, ...namespaceIds, ...jobIds]);
    const adopted: string[] = [];
    for (const id of ids) {
      const entry = this.lastListed.get(id);
      const list = Array.isArray(entry?.resource_list) ? (entry.resource_list as unknown[]) : [];
      if (entry && this.sentHeartbeats.has(entry.input) && list.every((r) => ours.has(r))) {
        this.own.add(id);
        adopted.push(id);
      }
    }
    return adopted;
  }

  private noteSent(request: { json?: unknown }): void {
    const heartbeat = (request.json as Body | undefined)?.heartbeat_time;
    if (heartbeat !== undefined) this.sentHeartbeats.add(heartbeat);
  }

  /**
   * Create and track the new policy for clean-up. The id is the 200 body; when the body is not an
   * id, the new policy is found by diffing list against every id seen so far.
   */
  async create(request: Omit<RequestSpec, 'operationId' | 'method' | 'path'>): Promise<{ exchange: Exchange; id?: string }> {
    this.noteSent(request);
    const exchange = await this.send({ operationId: OP.create, ...request });
    const { status } = exchange.response;
    if (status < 200 || status > 299) return { exchange };
    const fromBody = idFromText(exchange.response.text);
    if (fromBody) {
      this.own.add(fromBody);
      return { exchange, id: fromBody };
    }
    const fresh = this.adoptNew((await this.list()).fresh ?? []);
    return fresh.length === 1 && fresh[0] !== undefined ? { exchange, id: fresh[0] } : { exchange };
  }

  createJson(body: Body) {
    return this.create({ json: body });
  }

  update(request: Omit<RequestSpec, 'operationId' | 'method' | 'path'>): Promise<Exchange> {
    this.noteSent(request);
    return this.send({ operationId: OP.update, ...request });
  }

  async delete(request: Omit<RequestSpec, 'operationId' | 'method' | 'path'>): Promise<Exchange> {
    const exchange = await this.send({ operationId: OP.delete, ...request });
    const id = (request.json as { id?: unknown } | undefined)?.id;
    if (exchange.response.status === 200 && typeof id === 'string') this.own.delete(id);
    return exchange;
  }

  deleteId(id: string): Promise<Exchange> {
    return this.delete({ json: { id } });
  }

  pods(id: string) {
    return this.send({ operationId: OP.pods, pathId: id });
  }
  jobs(id: string) {
    return this.send({ operationId: OP.jobs, pathId: id });
  }
  jobStatus(id: string) {
    return this.send({ operationId: OP.jobStatus, pathId: id });
  }
  syncJobs() {
    return this.send({ operationId: OP.syncJobs });
  }

  /** Find one policy in list; undefined when list fails or lacks it. */
  async find(id: string): Promise<{ exchange: Exchange; entry?: PolicyEntry; listed: boolean }> {
    const { exchange, policies } = await this.list();
    const entry = policies?.find((p) => p.id === id);
    return entry ? { exchange, entry, listed: true } : { exchange, listed: policies !== undefined };
  }

  // ---- judging ----

  private judge(exchange: Exchange): void {
    this.exchanges++;
    this.noteAnswer(exchange.response);
    const op = this.operations.get(exchange.operationId);
    if (!op) return;
    if (exchange.response.status !== 0) this.recorder.observe(op.operationId, exchange.response.status);
    if (this.phase === 'cleanup' || this.stopped) return;
    for (const judge of this.judges) {
      if ((this.options.rules && !this.options.rules.includes(judge.id)) || this.options.excludeRules?.includes(judge.id)) continue;
      const verdict = judge.judge(exchange, op, this.validator);
      if (verdict === 'skip') continue;
      this.recorder.judged(judge.id);
      if (verdict === 'pass') this.recorder.pass(judge.id, op.operationId);
      else {
        const basis = verdict.basis ?? judge.basis;
        if (counts(basis, this.options.level)) this.recordFailure({ ...verdict, rule: judge.id, phase: this.phase, basis });
      }
    }
  }

  /** Failures after a stop are artefacts of the stop, not findings. The token never gets into one. */
  recordFailure(failure: Failure): void {
    if (this.stopped) return;
    const mask = (text: string | undefined) => (text === undefined ? undefined : this.mask(text));
    this.recorder.fail({
      ...failure,
      expected: mask(failure.expected) ?? '',
      actual: mask(failure.actual),
      schemaErrors: failure.schemaErrors?.map((e) => ({ pointer: mask(e.pointer) ?? '', message: mask(e.message) ?? '' })),
      bodies: failure.bodies && { expected: mask(failure.bodies.expected) ?? '', actual: mask(failure.bodies.actual) ?? '' },
    });
  }

  /**
   * Delete every policy this run created, whatever happened before. Returns the ids of ours still
   * listed after, and the ids that appeared during the run without the suite knowingly creating
   * them (e.g. a target that stores a create it refused): reported, not deleted, as on a shared
   * target they may be someone else's.
   */
  async cleanup(budgetMs = CLEANUP_BUDGET_MS): Promise<CleanupOutcome> {
    this.phase = 'cleanup';
    // Clean-up runs after a stop too, within a budget of its own so a stalled target cannot hold it.
    this.client.stop = AbortSignal.timeout(budgetMs);
    // A silent target gets one more request (a delete of ours), not a whole budget of timeouts.
    const silentBefore = this.silentInARow;
    const silent = () => this.silentInARow >= SILENT_REQUESTS_LIMIT;
    const givenUp = () => silent() && this.silentInARow > silentBefore;
    let deleted = 0;
    for (const id of [...this.own]) {
      for (let attempt = 0; attempt < 2 && !givenUp(); attempt++) {
        const exchange = await this.deleteId(id);
        if (exchange.response.status === 200) {
          deleted++;
          break;
        }
        if (exchange.response.status >= 400 && exchange.response.status < 500) break;
      }
    }
    const { policies } = silent() ? { policies: undefined } : await this.list();
    const listed = new Set((policies ?? []).map((p) => p.id));
    // Without a final list, every policy not known to be deleted may still be there.
    const leftover = policies ? [...this.own].filter((id) => listed.has(id)) : [...this.own];
    const baseline = this.baselineIds;
    const unexplained = baseline ? [...listed].filter((id) => !baseline.has(id) && !this.own.has(id)) : [];
    this.own.clear();
    const omitted = unexplained.length - UNEXPLAINED_NAMED;
    return {
      deleted,
      leftover,
      unexplained: unexplained.slice(0, UNEXPLAINED_NAMED),
      ...(omitted > 0 ? { unexplainedOmitted: omitted } : {}),
    };
  }
}

/**
 * Characters of policy ids the suite remembers from lists (about 100 000 UUIDs): a target that
 * lists new ids on every call cannot grow the run's memory with them.
 */
export const KNOWN_ID_CHARS = 4_000_000;

/** What clean-up did: `leftover` = the run's own policies still there, `unexplained` = others that appeared. */
export interface CleanupOutcome {
  deleted: number;
  leftover: string[];
  /** At most UNEXPLAINED_NAMED of them; `unexplainedOmitted` counts the rest. */
  unexplained: string[];
  unexplainedOmitted?: number | undefined;
}

/** Ids named of the policies that appeared during a run: a target can list thousands. */
export const UNEXPLAINED_NAMED = 20;

/** Time clean-up may take, whatever the target does: its deletes, and one list after them. */
export const CLEANUP_BUDGET_MS = 60_000;

/**
 * Requests in a row without a complete answer within the request timeout after which the target
 * counts as stopped answering: with the default 10 s timeout, a silent target ends the run (and
 * then its clean-up, after one more try) in about 40 s rather than at the 300 s deadline.
 */
export const SILENT_REQUESTS_LIMIT = 3;

/** Keep ids opaque but never let one turn into `.`/`..` path segments that a URL parser would collapse. */
export function encodePathId(id: string): string {
  const encoded = encodeURIComponent(id);
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

/** The id in a create/update 200 body: plain text, tolerating a JSON-quoted string. */
export function idFromText(text: string): string | undefined {
  let candidate = text.trim();
  if (candidate.startsWith('"') && candidate.endsWith('"') && candidate.length >= 2) {
    try {
      candidate = String(JSON.parse(candidate));
    } catch {
      return undefined;
    }
  }
  return candidate !== '' && candidate.length <= 200 && !/\s/.test(candidate) ? candidate : undefined;
}
