// The soak: N requests at a fixed concurrency against a running mock, mixing valid calls of every
// operation with generated invalid ones (fast-check), then the verdict: no 5xx, no connection
// errors, every error an ApiError (or no body where the spec declares none), the server healthy,
// its memory flat after warm-up, and the contract suite still passing against it.
// `npm run soak` runs it at full size; test/soak/soak.process.test.ts runs a short one.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import fc from 'fast-check';
import type { ContractProfile } from '../../contract-tests/config.js';
import type { ContractReport } from '../../contract-tests/contract-report.js';
import { runAllRules } from '../../contract-tests/runner.js';
import { loadSpec } from '../../src/spec/load-spec.js';
import { SpecIndex } from '../../src/spec/spec-index.js';
import { seededRandom } from '../../src/http/controls/random.js';

export interface SoakOptions {
  baseUrl: string;
  /** Requests in all (warm-up included). */
  requests: number;
  concurrency: number;
  seed: number;
  token: string;
  /** Ids that exist in the target (the default seed's: fixtures/contract-profile.json). */
  profile: ContractProfile;
  /** The server's resident memory now, in MB (it is another process: /proc/PID/status). */
  rssMb: () => number;
  /** Share of the requests run before the memory baseline is taken (default 0.25). */
  warmupShare?: number;
  /** The target's --body-limit in bytes (default 1 MB): "huge" bodies go past it. */
  bodyLimit?: number;
  /** Generated inputs per operation for the contract run afterwards (0: no contract run). */
  contractFuzzRuns?: number;
  /** Longest a single request may take before it counts as a failure. */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export type Kind =
  | 'valid'
  | 'wrong-type'
  | 'missing-field'
  | 'random-bytes'
  | 'malformed-json'
  | 'truncated-json'
  | 'huge'
  | 'deep'
  | 'odd-id'
  | 'unknown-route'
  | 'other-method'
  | 'odd-header'
  | 'raw-http';

export interface Problem {
  kind: Kind;
  request: string;
  status: number;
  problem: string;
}

export interface SoakReport {
  passed: boolean;
  requests: number;
  durationMs: number;
  reqPerSec: number;
  byKind: Record<string, { count: number; statuses: Record<string, number> }>;
  serverErrors: number;
  connectionErrors: number;
  notApiErrors: number;
  /** Valid calls that did not get their 200 (a bug of the mock, or of the soak's bookkeeping). */
  validRefused: number;
  problems: Problem[];
  problemCount: number;
  rss: { afterWarmupMb: number; endMb: number; maxMb: number; growth: number; timeline: { requests: number; mb: number }[] };
  healthy: boolean;
  contract?: { conforms: boolean; failedRules: string[]; exchanges: number; durationMs: number };
  reasons: string[];
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PROBLEMS_KEPT = 25;
/** Methods Node's HTTP parser accepts: anything else never reaches the app (see raw-http). */
const METHODS = ['PUT', 'PATCH', 'OPTIONS', 'HEAD', 'DELETE', 'POST', 'GET', 'PROPFIND', 'SEARCH', 'PURGE', 'LINK', 'MKCOL'];

const VALID_BODIES: Record<string, unknown>[] = readdirSync(new URL('../../fixtures/requests/valid/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(new URL(`../../fixtures/requests/valid/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>);

interface Call {
  kind: Kind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** A valid call: it must get a 200. */
  expectOk?: boolean;
  /** What to do with the answer of a valid call (bookkeeping of own policies). */
  after?: (status: number, text: string) => void;
  raw?: RawCase;
}

interface RawCase {
  bytes: Buffer;
  /** False for a request cut off on purpose: no answer is owed, the server must only survive it. */
  expectAnswer: boolean;
}

/** Generated invalid inputs, drawn from fast-check once per run with the run's seed. */
function generators(seed: number, count: number, profile: ContractProfile) {
  const draw = <T>(arb: fc.Arbitrary<T>, salt: number): T[] => fc.sample(arb, { numRuns: Math.max(1, count), seed: seed + salt });
  const base = fc.constantFrom(...VALID_BODIES);
  const junk = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.anything({ maxDepth: 1 }), { maxKeys: 3 }),
  );
  const fieldNames = [
    'cluster_id',
    'heartbeat_time',
    'resource',
    'resource_ids',
    'resource_name',
    'policy_type',
    'job_filter',
    'runc_root',
    'id',
  ];
  const oddId = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
    fc.string({ minLength: 300, maxLength: 3000 }),
    fc.uuid(),
    fc.constantFrom(
      '%',
      '%ZZ',
      '%00',
      '..',
      '.',
      ' ',
      '%2F',
      'null',
      "' OR 1=1 --",
      '😀',
      'ﬀ',
      `${profile.podIds[0]}x`,
      profile.podIds[0] ?? 'x',
    ),
  );
  return {
    wrongType: draw(fc.tuple(base, fc.constantFrom(...fieldNames), junk), 1).map(([body, field, value]) => ({ ...body, [field]: value })),
    missingField: draw(fc.tuple(base, fc.subarray(fieldNames, { minLength: 1 })), 2).map(([body, drop]) =>
      Object.fromEntries(Object.entries(body).filter(([k]) => !drop.includes(k))),
    ),
    randomBytes: draw(fc.uint8Array({ minLength: 1, maxLength: 512 }), 3),
    malformed: draw(fc.tuple(base, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })), 4).map(([body, at, insert]) => {
      const text = JSON.stringify(body);
      const i = at % text.length;
      return text.slice(0, i) + insert + text.slice(i + 1);
    }),
    truncated: draw(fc.tuple(base, fc.nat()), 5).map(([body, at]) => {
      const text = JSON.stringify(body);
      return text.slice(0, at % text.length);
    }),
    oddId: draw(oddId, 6),
    unknownPath: draw(fc.array(fc.webSegment(), { minLength: 1, maxLength: 5 }), 7).map((segments) => `/${segments.join('/')}`),
    headers: draw(
      fc.oneof(
        fc.constant<Record<string, string>>({}),
        fc.record({ authorization: fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer  ', 'Token abc', 'Bearer a b') }),
        fc.record({ prefer: fc.constantFrom('code=abc', 'code=999', 'delay=99999999', 'code=', 'code=404, delay=x', 'respond-async') }),
        fc.record({ 'x-mock-session': fc.constantFrom('', ' ', 'a'.repeat(65), 'x/y', 'ok?', 'soak-a') }),
        fc.record({
          'content-type': fc.constantFrom(
            'text/plain',
            'application/xml',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-16',
            'application/x-www-form-urlencoded',
            '*/*',
          ),
        }),
      ),
      8,
    ),
  };
}

type Generated = ReturnType<typeof generators>;

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** `[[[...]]]`, deep enough to break anything that recurses without a limit. */
function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

export async function soak(options: SoakOptions): Promise<SoakReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed);
  const spec = new SpecIndex(loadSpec());
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const auth = { authorization: `Bearer ${options.token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const gen: Generated = generators(options.seed, Math.min(options.requests, 4000), options.profile);
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  // Our own policies: created here, updated and deleted only by us, never two calls on one at once.
  const free: string[] = [];
  const seededList = (await getJson(`${options.baseUrl}/v2/policy/list`, auth)) as { id: string; resource: string }[];
  const jobsPolicy = seededList.find((p) => p.resource === 'jobs')?.id;
  const anyPolicy = seededList[0]?.id;
  if (!jobsPolicy || !anyPolicy) throw new Error('the target holds no jobs policy: start it from the default seed');

  const report: SoakReport = {
    passed: false,
    requests: 0,
    durationMs: 0,
    reqPerSec: 0,
    byKind: {},
    serverErrors: 0,
    connectionErrors: 0,
    notApiErrors: 0,
    validRefused: 0,
    problems: [],
    problemCount: 0,
    rss: { afterWarmupMb: Number.NaN, endMb: Number.NaN, maxMb: 0, growth: Number.NaN, timeline: [] },
    healthy: false,
    reasons: [],
  };
  const problem = (call: Call, status: number, what: string) => {
    report.problemCount++;
    if (report.problems.length < MAX_PROBLEMS_KEPT) {
      const body = typeof call.body === 'string' ? ` ${call.body.slice(0, 200)}` : call.body ? ` <${call.body.length} bytes>` : '';
      report.problems.push({ kind: call.kind, request: `${call.method} ${call.path.slice(0, 200)}${body}`, status, problem: what });
    }
  };

  const validCall = (): Call => {
    const roll = random();
    const body = pick(VALID_BODIES, random);
    // Creates and deletes balance out (the pool stays under 100): the store keeps about the same
    // size however long the soak runs, so memory growth means a leak, not more data.
    const write =
      roll < 0.38
        ? free.length === 0
          ? 'create'
          : roll < 0.2
            ? free.length < 100
              ? 'create'
              : 'delete'
            : roll < 0.3
              ? 'update'
              : 'delete'
        : undefined;
    if (write === 'create') {
      return {
        kind: 'valid',
        method: 'POST',
        path: '/v2/policy/create',
        headers: json,
        expectOk: true,
        body: JSON.stringify({ ...body, resource_name: `soak-${options.seed}` }),
        after: (status, text) => status === 200 && UUID_RE.test(text.trim()) && free.push(text.trim()),
      };
    }
    if (write === 'update') {
      const id = free.splice(Math.floor(random() * free.length), 1)[0]!;
      return {
        kind: 'valid',
        method: 'POST',
        path: '/v2/policy/update',
        headers: json,
        expectOk: true,
        body: JSON.stringify({ ...body, id, resource_name: `soak-${options.seed}` }),
        after: () => free.push(id),
      };
    }
    if (write === 'delete') {
      const id = free.splice(Math.floor(random() * free.length), 1)[0]!;
      return { kind: 'valid', method: 'DELETE', path: '/v2/policy/delete', headers: json, expectOk: true, body: JSON.stringify({ id }) };
    }
    if (roll < 0.6) return { kind: 'valid', method: 'GET', path: '/v2/policy/list', headers: auth, expectOk: true };
    if (roll < 0.75) {
      // The seed's policies: the soak never changes them, so a read never races a delete.
      return { kind: 'valid', method: 'GET', path: `/v2/policy/${pick(seededList, random).id}/pods`, headers: auth, expectOk: true };
    }
    if (roll < 0.85) return { kind: 'valid', method: 'GET', path: `/v2/policy/${jobsPolicy}/jobs`, headers: auth, expectOk: true };
    if (roll < 0.95) return { kind: 'valid', method: 'GET', path: `/v2/policy/${jobsPolicy}/job-status`, headers: auth, expectOk: true };
    return { kind: 'valid', method: 'POST', path: '/v2/policy/sync-jobs', headers: auth, expectOk: true };
  };

  const writePath = () => pick(['/v2/policy/create', '/v2/policy/update'], random);
  const invalidCall = (i: number): Call => {
    const at = <T>(items: readonly T[]) => items[i % items.length]!;
    const roll = random();
    if (roll < 0.14)
      return { kind: 'wrong-type', method: 'POST', path: writePath(), headers: json, body: JSON.stringify(at(gen.wrongType)) };
    if (roll < 0.24)
      return { kind: 'missing-field', method: 'POST', path: writePath(), headers: json, body: JSON.stringify(at(gen.missingField)) };
    if (roll < 0.32) {
      return {
        kind: 'random-bytes',
        method: pick(['POST', 'DELETE'], random),
        path: pick(['/v2/policy/create', '/v2/policy/update', '/v2/policy/delete'], random),
        headers: json,
        body: at(gen.randomBytes),
      };
    }
    if (roll < 0.4) return { kind: 'malformed-json', method: 'POST', path: writePath(), headers: json, body: at(gen.malformed) };
    if (roll < 0.46) return { kind: 'truncated-json', method: 'POST', path: writePath(), headers: json, body: at(gen.truncated) };
    if (roll < 0.48) {
      // Past the limit, or just under it with a field of the wrong type (a valid one would be
      // stored, and every list after it would carry the megabyte).
      const over = random() < 0.5;
      const filler = 'x'.repeat(over ? bodyLimit + Math.floor(random() * 1024) : Math.floor(bodyLimit * 0.9));
      return {
        kind: 'huge',
        method: 'POST',
        path: writePath(),
        headers: json,
        body: JSON.stringify({ ...pick(VALID_BODIES, random), [over ? 'resource_name' : 'heartbeat_time']: filler }),
      };
    }
    if (roll < 0.52) {
      const depth = pick([100, 1_000, 10_000, 100_000, Math.floor(bodyLimit / 2) - 100], random);
      const where = random();
      const body =
        where < 0.3
          ? nested(depth)
          : where < 0.6
            ? `{"cluster_id":${nested(depth)},"heartbeat_time":1,"resource_ids":[]}`
            : `{"job_filter":{"namespace":${nested(depth)}},"cluster_id":"c","heartbeat_time":1,"resource_ids":${nested(depth)}}`;
      return { kind: 'deep', method: 'POST', path: writePath(), headers: json, body };
    }
    if (roll < 0.64) {
      const id = encodeURIComponent(at(gen.oddId)).replace(/%25/g, random() < 0.3 ? '%' : '%25');
      return { kind: 'odd-id', method: 'GET', path: `/v2/policy/${id}/${pick(['pods', 'jobs', 'job-status'], random)}`, headers: auth };
    }
    if (roll < 0.72)
      return {
        kind: 'unknown-route',
        method: pick(['GET', 'POST', 'DELETE'], random),
        path: pick([at(gen.unknownPath), `/v2/policy${at(gen.unknownPath)}`, '/v2/policy/list/extra', '/v2', '/'], random),
        headers: json,
        body: undefined,
      };
    if (roll < 0.8) {
      const op = pick(spec.operations, random);
      const method = pick(
        METHODS.filter((m) => m !== op.method),
        random,
      );
      return { kind: 'other-method', method, path: op.path.replace('{policy_id}', anyPolicy), headers: json };
    }
    if (roll < 0.94) {
      const op = pick(spec.operations, random);
      const headers = { ...json, ...at(gen.headers) };
      if (!('authorization' in at(gen.headers)) && random() < 0.3) delete (headers as Record<string, string>).authorization;
      const body = op.hasRequestBody
        ? JSON.stringify(op.operationId === 'policy_delete' ? { id: anyPolicy } : pick(VALID_BODIES, random))
        : undefined;
      // Never delete the seed's policies (the contract run afterwards needs them): an odd header on delete must fail for sure.
      if (op.operationId === 'policy_delete') headers.authorization = 'Basic eA==';
      return { kind: 'odd-header', method: op.method, path: op.path.replace('{policy_id}', jobsPolicy), headers, body };
    }
    return { kind: 'raw-http', method: 'RAW', path: '', headers: {}, raw: rawCase(random, options.baseUrl) };
  };

  const judge = (call: Call, status: number, contentType: string | null, text: string) => {
    const entry = (report.byKind[call.kind] ??= { count: 0, statuses: {} });
    entry.count++;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    if (status >= 500) {
      report.serverErrors++;
      return problem(call, status, `server error: ${text.slice(0, 300)}`);
    }
    if (call.expectOk && status !== 200) {
      report.validRefused++;
      return problem(call, status, `a valid call was refused: ${text.slice(0, 300)}`);
    }
    if (status < 400 || call.method === 'HEAD') return;
    const op = call.method === 'RAW' ? undefined : spec.find(call.method, sentPath(options.baseUrl, call.path));
    if (op && op.responses.get(status)?.mediaType === null) {
      if (text !== '') problem(call, status, `declared without content, but a body came: ${text.slice(0, 200)}`);
      return;
    }
    const shape = apiErrorProblem(status, contentType, text);
    if (shape) {
      report.notApiErrors++;
      problem(call, status, shape);
    }
  };

  const warmup = Math.floor(options.requests * (options.warmupShare ?? 0.25));
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= options.requests) return;
      if (i === warmup) report.rss.afterWarmupMb = options.rssMb();
      if (i % Math.max(100, Math.floor(options.requests / 20)) === 0) {
        const mb = options.rssMb();
        report.rss.maxMb = Math.max(report.rss.maxMb, mb);
        report.rss.timeline.push({ requests: i, mb: Math.round(mb) });
      }
      const call = random() < 0.5 ? validCall() : invalidCall(i);
      report.requests++;
      if (call.raw) {
        const outcome = await sendRaw(options.baseUrl, call.raw, timeoutMs);
        if (outcome.error) {
          report.connectionErrors++;
          problem(call, 0, outcome.error);
        } else if (outcome.status !== undefined) {
          judge(call, outcome.status, outcome.contentType ?? null, outcome.body ?? '');
        } else {
          (report.byKind[call.kind] ??= { count: 0, statuses: {} }).count++;
        }
        continue;
      }
      try {
        const res = await fetch(`${options.baseUrl}${call.path}`, {
          method: call.method,
          headers: call.headers,
          ...(call.body === undefined || call.method === 'GET' || call.method === 'HEAD' ? {} : { body: call.body }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        call.after?.(res.status, text);
        judge(call, res.status, res.headers.get('content-type'), text);
      } catch (error) {
        report.connectionErrors++;
        problem(call, 0, `connection error: ${describe(error)}`);
        call.after?.(0, '');
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.durationMs = performance.now() - started;
  report.reqPerSec = report.requests / (report.durationMs / 1000);
  report.rss.endMb = options.rssMb();
  report.rss.maxMb = Math.max(report.rss.maxMb, report.rss.endMb);
  report.rss.growth = report.rss.endMb / report.rss.afterWarmupMb - 1;
  log(
    `soak: ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s; RSS ${report.rss.afterWarmupMb.toFixed(0)} → ${report.rss.endMb.toFixed(0)} MB`,
  );

  const health = await fetch(`${options.baseUrl}/__admin/health`).then(
    async (r) => r.status === 200 && ((await r.json()) as { status?: string }).status === 'ok',
    () => false,
  );
  report.healthy = health;

  if ((options.contractFuzzRuns ?? 100) > 0 && health) {
    const contract: ContractReport = await runAllRules({
      baseUrl: options.baseUrl,
      token: options.token,
      profile: options.profile,
      expectAuth: false,
      fuzzRuns: options.contractFuzzRuns ?? 100,
      seed: options.seed,
    });
    report.contract = {
      conforms: contract.conforms,
      failedRules: contract.failedRules,
      exchanges: contract.exchanges,
      durationMs: contract.durationMs,
    };
    log(
      `contract afterwards: ${contract.conforms ? 'conforms' : `DOES NOT CONFORM (${contract.failedRules.join(', ')})`}, ${contract.exchanges} requests`,
    );
  }

  const reasons = report.reasons;
  if (report.serverErrors > 0) reasons.push(`${report.serverErrors} server errors (5xx)`);
  if (report.connectionErrors > 0) reasons.push(`${report.connectionErrors} connection errors`);
  if (report.notApiErrors > 0) reasons.push(`${report.notApiErrors} errors that were not an ApiError`);
  if (report.validRefused > 0) reasons.push(`${report.validRefused} valid calls refused`);
  if (!report.healthy) reasons.push('GET /__admin/health failed afterwards');
  if (!(report.rss.growth < 0.2)) reasons.push(`RSS grew ${(report.rss.growth * 100).toFixed(0)}% after warm-up (limit 20%)`);
  if (report.contract && !report.contract.conforms)
    reasons.push(`the contract suite failed afterwards: ${report.contract.failedRules.join(', ')}`);
  report.passed = reasons.length === 0;
  return report;
}

/** What is wrong with an error answer that should be the spec's ApiError; null when it is one. */
export function apiErrorProblem(status: number, contentType: string | null, text: string): string | null {
  if (!contentType?.startsWith('application/json'))
    return `content type ${contentType ?? 'none'}, not application/json: ${text.slice(0, 200)}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `body is not JSON: ${text.slice(0, 200)}`;
  }
  const e = body as { message?: unknown; code?: unknown; details?: unknown };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return `body is not an object: ${text.slice(0, 200)}`;
  if (typeof e.message !== 'string' || e.message === '') return 'message is not a non-empty string';
  if (e.code !== String(status)) return `code ${JSON.stringify(e.code)} is not the status ${status}`;
  if (e.details !== undefined && e.details !== null) {
    if (!Array.isArray(e.details)) return 'details is not a list';
    for (const d of e.details as { path?: unknown; message?: unknown }[]) {
      if (typeof d?.path !== 'string' || typeof d?.message !== 'string')
        return `a detail is not {path, message}: ${JSON.stringify(d).slice(0, 200)}`;
    }
  }
  return null;
}

/** Requests Node's HTTP parser refuses (the app never sees them), or that stop half-way. */
function rawCase(random: () => number, baseUrl: string): RawCase {
  const host = new URL(baseUrl).host;
  const cases: RawCase[] = [
    { bytes: Buffer.from(`FOO@ /v2/policy/list HTTP/1.1\r\nHost: ${host}\r\n\r\n`), expectAnswer: true },
    { bytes: Buffer.from(`GET /v2/policy/list HTTP/1.1\r\nHost: ${host}\r\nContent-Length: abc\r\n\r\n`), expectAnswer: true },
    { bytes: Buffer.from(`GET /v2/policy/list HTTP/1.1\r\nHost: ${host}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), expectAnswer: true },
    { bytes: Buffer.from(`GET /v2/policy/list HTTP/9.9\r\nHost: ${host}\r\n\r\n`), expectAnswer: true },
    { bytes: Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256))), expectAnswer: false },
    {
      bytes: Buffer.from(
        `POST /v2/policy/create HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"cluster_id`,
      ),
      expectAnswer: false,
    },
  ];
  return pick(cases, random);
}

interface RawOutcome {
  status?: number;
  contentType?: string;
  body?: string;
  error?: string;
}

/** Writes the bytes, half-closes, and reads whatever comes back until the server closes. */
function sendRaw(baseUrl: string, raw: RawCase, timeoutMs: number): Promise<RawOutcome> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(raw.expectAnswer ? { error: `no answer to a raw request within ${timeoutMs} ms` } : {});
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {
      // A reset after a cut-off request is the server's right; judged by what came before it.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      if (text === '') return resolve(raw.expectAnswer ? { error: 'the server closed the connection without an answer' } : {});
      const head = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (!head) return resolve({ error: `not an HTTP answer: ${text.slice(0, 100)}` });
      const split = text.indexOf('\r\n\r\n');
      const headers = split === -1 ? text : text.slice(0, split);
      const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim();
      resolve({ status: Number(head[1]), ...(contentType ? { contentType } : {}), body: split === -1 ? '' : text.slice(split + 4) });
    });
    socket.write(raw.bytes, () => socket.end());
  });
}

async function getJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return res.json();
}

/** The path as fetch sends it (dot segments resolved, still percent-encoded), as the server's router sees it. */
function sentPath(baseUrl: string, path: string): string {
  return new URL(`${baseUrl}${path}`).pathname;
}

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  return [e.message, e.cause?.code, e.cause?.message].filter(Boolean).join(': ');
}
