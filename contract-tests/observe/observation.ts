import { randomBytes } from 'node:crypto';
import type { Exchange } from '../client.js';
import type { Failure } from '../failure.js';
import { excerpt } from '../report/failure-text.js';
import { HarLog } from '../report/har.js';
import { oneLine } from '../printable.js';
import { inReportOrder } from '../operations.js';
import { Recorder } from '../recorder.js';
import { RULES } from '../rules/index.js';
import { listOperations, loadSpec, type Operation, type SpecDocument } from '../spec.js';
import { SpecValidator } from '../validator.js';
import { SessionHistory, type Begun } from './session-history.js';
import type { Judgement } from './judgement.js';
import { matchOperation, type MatchedOperation } from './match-operation.js';
import { declaredFields, sentFields } from './observed-coverage.js';
import { requestJson, toExchange, type ExchangeContext, type RawExchange } from './observed-exchange.js';
import { checkRequest } from './request-check.js';
import { checkSingleExchange } from './single-exchange-checks.js';

export interface ObservationOptions extends ExchangeContext {
  /** Judge that requests without the configured token are refused (needs `token`). */
  expectAuth?: boolean | undefined;
  /** A violation, as one printable line, the moment it is seen. */
  onViolation?: ((line: string) => void) | undefined;
  /** A client finding (a request that breaks the spec), as one printable line. */
  onClientFinding?: ((line: string) => void) | undefined;
}

/** One exchange under way: where it began in its history. */
export interface Pending {
  matched?: MatchedOperation | undefined;
  history: SessionHistory;
  begun: Begun;
  started: Date;
}

export interface ClientFinding {
  /** The operation, or `METHOD path` for a request to no operation of the spec. */
  operation: string;
  problem: string;
  curl: string;
  count: number;
}

const MAX_FINDINGS = 200;
const MAX_SESSIONS = 64;
const MAX_HAR = 1_000;
const HAR_BODY_CHARS = 64 * 1024;
const MAX_SETUP_PROBLEMS = 20;
/** The mock's per-request controls: their own answers are outside what the operation declares. */
const EXTENSIONS = ['prefer', 'x-mock-session'];

/**
 * Everything observe mode knows of the traffic so far, and the judging of each exchange as it
 * passes: the shape judges of the suite, the single-exchange rules, and a history per mock session.
 * Every store is bounded: failures grouped by the recorder, findings, sessions, HAR entries.
 */
export class Observation {
  readonly runId = randomBytes(4).toString('hex');
  readonly started = Date.now();
  readonly recorder = new Recorder();
  readonly spec: SpecDocument;
  readonly validator: SpecValidator;
  readonly operations: Operation[];
  readonly fields = new Map<string, { declared: string[]; sent: Set<string> }>();
  readonly findings = new Map<string, ClientFinding>();
  findingsOmitted = 0;
  readonly setupProblems: string[] = [];
  /** The latest entries: a long session's end is what a reader opens the file for. */
  readonly har = new HarLog(MAX_HAR, HAR_BODY_CHARS);
  exchanges = 0;
  private readonly histories = new Map<string, SessionHistory>();

  constructor(readonly options: ObservationOptions) {
    this.spec = loadSpec();
    this.validator = new SpecValidator(this.spec);
    this.operations = inReportOrder(listOperations(this.spec));
    for (const op of this.operations) {
      const declared = declaredFields(this.spec, op.requestSchema);
      if (declared.length > 0) this.fields.set(op.operationId, { declared, sent: new Set() });
    }
  }

  /** A request arrived: place it in its session's history before it is forwarded. */
  begin(method: string, url: string, session: string): Pending {
    const matched = matchOperation(this.operations, method, new URL(url, 'http://observe').pathname);
    const history = this.history(session);
    const write = matched ? matched.operation.method !== 'GET' : !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
    return { matched, history, begun: history.begin(write), started: new Date() };
  }

  /** The answer is in (or never came): judge it, record it, and return the violations it showed. */
  complete(pending: Pending, raw: RawExchange): Failure[] {
    this.exchanges++;
    const { matched } = pending;
    const operationId = matched?.operation.operationId ?? `${raw.method.toUpperCase()} ${new URL(raw.url, 'http://observe').pathname}`;
    const { exchange, mask } = toExchange(raw, operationId, this.options);
    this.har.add({ exchange, started: pending.started, ms: Date.now() - pending.started.getTime() });
    const json = requestJson(raw);
    const untrusted = exchange.auth !== 'token' || raw.headers.prefer !== undefined;
    if (!matched) {
      this.clientFinding(exchange, operationId, 'no operation of the spec has this method and path');
      pending.history.end(pending.begun, { exchange, json, invalidBody: false, untrusted: true });
      return [];
    }
    const { operation, pathId } = matched;
    const check = checkRequest(exchange, operation, { json, bodyCut: raw.bodyCut, pathId }, this.spec, this.validator);
    for (const problem of check.problems) this.clientFinding(exchange, operationId, problem);
    const fields = this.fields.get(operationId);
    if (fields) for (const name of sentFields(json)) if (fields.declared.includes(name)) fields.sent.add(name);
    const answered = { exchange, pathId, json, invalidBody: check.invalidBody, untrusted: untrusted || exchange.response.status === 0 };
    const history = pending.history.end(pending.begun, answered);
    if (exchange.response.status === 0) return []; // no answer: a set-up problem, reported by the proxy
    this.recorder.observe(operationId, exchange.response.status);
    const extension = EXTENSIONS.some((name) => raw.headers[name] !== undefined);
    const declared = operation.responses.some((r) => r.status === exchange.response.status);
    const judgements: Judgement[] = [];
    if (!extension || declared) {
      for (const judge of RULES.judges()) {
        const verdict = judge.judge(exchange, operation, this.validator);
        if (verdict === 'skip') continue;
        judgements.push(verdict === 'pass' ? { rule: judge.id, operationId } : { rule: judge.id, operationId, failure: verdict });
      }
    }
    judgements.push(
      ...checkSingleExchange({
        exchange,
        pathId,
        invalidBody: check.invalidBody,
        preferred: raw.headers.prefer !== undefined,
        expectAuth: this.options.expectAuth === true && this.options.token !== undefined,
      }),
      ...history,
    );
    return this.record(judgements, mask);
  }

  /** The upstream never answered (or stalled): the run cannot judge, so it ends as a set-up problem. */
  setupProblem(message: string): void {
    if (this.setupProblems.length < MAX_SETUP_PROBLEMS && !this.setupProblems.includes(message)) this.setupProblems.push(message);
  }

  get violations(): number {
    return RULES.ids.reduce((n, rule) => n + this.recorder.failureCount(rule), 0);
  }

  private record(judgements: Judgement[], mask: (text: string) => string): Failure[] {
    const failures: Failure[] = [];
    for (const j of judgements) {
      this.recorder.judged(j.rule);
      if (!j.failure) {
        this.recorder.pass(j.rule, j.operationId);
        continue;
      }
      const f = j.failure;
      const failure: Failure = {
        ...f,
        rule: j.rule,
        operationId: j.operationId,
        expected: mask(f.expected),
        actual: f.actual === undefined ? undefined : mask(f.actual),
        schemaErrors: f.schemaErrors?.map((e) => ({ pointer: mask(e.pointer), message: mask(e.message) })),
      };
      this.recorder.fail(failure);
      failures.push(failure);
      this.options.onViolation?.(violationLine(failure));
    }
    return failures;
  }

  private clientFinding(exchange: Exchange, operation: string, problem: string): void {
    const key = `${operation} ${problem}`;
    const known = this.findings.get(key);
    if (known) {
      known.count++;
      return;
    }
    if (this.findings.size >= MAX_FINDINGS) {
      this.findingsOmitted++;
      return;
    }
    const finding = { operation, problem, curl: exchange.curl, count: 1 };
    this.findings.set(key, finding);
    this.options.onClientFinding?.(oneLine(`client: ${operation} · ${problem} · ${finding.curl}`));
  }

  private history(session: string): SessionHistory {
    let history = this.histories.get(session);
    if (!history) {
      // Past the bound a new session gets a history of its own that is never kept: judged alone, forgotten after.
      history = new SessionHistory();
      if (this.histories.size < MAX_SESSIONS) this.histories.set(session, history);
    }
    return history;
  }
}

/** A violation on one printable line: the operation, the rule, what must hold, and the curl line. */
export function violationLine(failure: Failure): string {
  const actual = failure.actual ? ` (${excerpt(failure.actual, 300)})` : '';
  return oneLine(`✗ ${failure.operationId} · ${failure.rule} · ${failure.expected}${actual} · ${failure.exchange?.curl ?? ''}`);
}
