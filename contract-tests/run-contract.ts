import { ContractSetupError, loadProfile, parseProfile, type ContractProfile } from './config.js';
import { DEFAULT_PROFILE_PATH, withLibraryDefaults } from './defaults.js';
import { describeResponse, renderFailure, type Failure } from './failure.js';
import { renderHtmlReport, renderSetupErrorHtml, writeHtml } from './html-report.js';
import { renderSetupErrorJunit, writeJunit, writeJunitText } from './junit.js';
import { printable } from './printable.js';
import type { RuleState } from './rule-state.js';
import { RULE_IDS, type RuleId } from './rules/index.js';
import { renderReport, runAllRules, type ContractReport } from './runner.js';
import { maskSecret } from './secret-mask.js';
import type { CleanupOutcome } from './run-state.js';
import { resolveTarget, type Target } from './target.js';
import type { SchemaError } from './validator.js';
import { waitForTarget } from './wait-for-target.js';

/** Options of `runContract`. Only the target is required; every default is the CLI's. */
export interface RunContractOptions {
  /** The Policy API to judge, e.g. `https://staging.example.com`. Required unless `startMock`. */
  baseUrl?: string | undefined;
  /** Judge this repo's own mock, started in-process on a free loopback port (the suite's own tests). */
  startMock?: boolean | undefined;
  /** Bearer token sent on every request (default `contract-suite-token`). Never appears in the result. */
  token?: string | undefined;
  /** Ids that exist in the target: an object, or the path of a JSON file (default: the mock's default seed). */
  profile?: ContractProfile | string | undefined;
  /** Also check that missing or wrong tokens are refused (default: only for our own mock, `startMock`). */
  expectAuth?: boolean | undefined;
  /** Generated inputs per operation in the property-based phase; 0 turns it off (default 100). */
  fuzzRuns?: number | undefined;
  /** Generated sequences in the model-based phase (model_conformance); 0 turns it off (default 100). */
  modelRuns?: number | undefined;
  /** Write each shrunk failing sequence of the model-based phase here, as a vitest regression test. */
  saveFailures?: string | undefined;
  /** A second implementation: the same generated sequences run against both (differential_agreement). */
  compareWith?: string | undefined;
  /** Bearer token for `compareWith` (default: `token`). Never appears in the result. */
  compareToken?: string | undefined;
  /** Ids that exist in `compareWith`: an object or a file path (default: `profile`). */
  compareProfile?: ContractProfile | string | undefined;
  /** Seed of generated inputs and random ids (default 424242). */
  seed?: number | undefined;
  /** Only these rules (default: all that apply). */
  rules?: readonly RuleId[] | undefined;
  /** Per request, headers and body together (default 10 000 ms). */
  requestTimeoutMs?: number | undefined;
  /** Bytes read of one response at most; a longer one is a failure (default 8 MiB). */
  maxResponseBytes?: number | undefined;
  /** The whole run, clean-up excepted; rules left when it passes are reported as not run (default 300 000 ms). */
  deadlineMs?: number | undefined;
  /** Poll this long for the target to answer at all before running (default 0: one try). */
  waitForTargetMs?: number | undefined;
  /** Also write a JUnit XML report here. */
  junitPath?: string | undefined;
  /** Also write a self-contained HTML report here (verdict, rules × operations, every failure). */
  htmlPath?: string | undefined;
  /** Progress lines (default: none). */
  log?: ((line: string) => void) | undefined;
}

/** What a request looked like; the Authorization header reads `Bearer $CONTRACT_TOKEN`. */
export interface FailureRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** One broken expectation. Every text is printable and free of the token. */
export interface FailureRecord {
  operationId: string;
  /** The request that showed it, when one did. */
  request?: FailureRequest | undefined;
  /** What must hold, in words. */
  expected: string;
  /** What came back: the response (status, content type, body excerpt) and any finding beyond it. */
  actual: string;
  /** A shell command that replays the request; set CONTRACT_TOKEN before running it. */
  curl?: string | undefined;
  schemaErrors?: SchemaError[] | undefined;
  /** How many failures alike (same rule, operation and schema pointer) this one stands for. */
  count: number;
  /** Other expectations broken in its group (a few, distinct). */
  alike?: string[] | undefined;
  /** The whole failure as the report prints it. */
  text: string;
}

export type { RuleState } from './rule-state.js';

export interface RuleOutcome {
  id: RuleId;
  state: RuleState;
  /** Why a rule was skipped. */
  reason?: string | undefined;
  durationMs: number;
  /** Requests its scenario sent. */
  requests?: number | undefined;
  /** For a rule that judges every exchange: how many it judged. */
  exchangesJudged?: number | undefined;
  /** One example per group of failures alike (rule, operation, schema pointer), with its count. */
  failures: FailureRecord[];
  /** Failures beyond the groups kept. */
  omittedFailures: number;
}

/**
 * `conforms` (exit code 0), `does-not-conform` (1: breaks at least one rule), `setup-error` (2: the
 * target is unreachable or stopped answering, refuses the token or the profile's ids, a bound on
 * what the suite keeps of it was reached, or an option is bad; reports cover what ran before) and
 * `incomplete` (2: the deadline passed before any rule failed).
 */
export type Verdict = 'conforms' | 'does-not-conform' | 'setup-error' | 'incomplete';

export interface ContractResult {
  verdict: Verdict;
  /** 0 conforms, 1 breaks a rule, 2 set-up problem: the same in the CLI, the vitest route and here. */
  exitCode: 0 | 1 | 2;
  /** The set-up problem, when `verdict` is `setup-error`. */
  setupError?: string | undefined;
  /** Why the run stopped early, when `verdict` is `incomplete` (or it failed before the deadline). */
  stoppedBecause?: string | undefined;
  baseUrl: string;
  runId?: string | undefined;
  seed: number;
  fuzzRuns: number;
  /** Rules in the order they ran. */
  rules: RuleOutcome[];
  counts: { passed: number; failed: number; skipped: number; total: number };
  /** Requests sent to the target. */
  requests: number;
  durationMs: number;
  /** What the suite created and deleted; `leftover` = its own policies still there, `unexplained` = others that appeared. */
  cleanup: CleanupOutcome;
  /** The report as the CLI prints it. */
  report: string;
}

/**
 * Runs the contract suite against one implementation of the Policy API and resolves to its
 * verdict, rule by rule. Never rejects for a problem of the target or the set-up (that is
 * `setup-error`, exit code 2); always cleans up what it created.
 */
export async function runContract(options: RunContractOptions): Promise<ContractResult> {
  const started = Date.now();
  const settings = withLibraryDefaults(options);
  const { token, seed, fuzzRuns, expectAuth, requestTimeoutMs } = settings;
  let target: Target | undefined;
  try {
    const profile = resolveProfile(options.profile);
    if (options.startMock && options.baseUrl) throw new ContractSetupError('give a base URL or startMock, not both');
    if (!options.startMock && !options.baseUrl) throw new ContractSetupError('a base URL is required (--base-url / CONTRACT_BASE_URL)');
    if (options.baseUrl && settings.waitForTargetMs) await waitForTarget(options.baseUrl, settings.waitForTargetMs, requestTimeoutMs);
    target = await resolveTarget({ baseUrl: options.baseUrl, token, expectAuth });
    const compare = options.compareWith
      ? {
          baseUrl: options.compareWith,
          token: options.compareToken ?? token,
          profile: options.compareProfile === undefined ? profile : resolveProfile(options.compareProfile),
        }
      : undefined;
    const report = await runAllRules({
      baseUrl: target.baseUrl,
      token,
      profile,
      modelRuns: settings.modelRuns,
      saveFailuresDir: options.saveFailures,
      compare,
      expectAuth,
      compareAuth: options.expectAuth === true,
      fuzzRuns,
      seed,
      rules: options.rules ? [...options.rules] : undefined,
      log: options.log,
      requestTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      deadlineMs: settings.deadlineMs,
    });
    if (options.junitPath) writeJunit(options.junitPath, report);
    if (options.htmlPath) writeHtml(options.htmlPath, renderHtmlReport(report));
    return resultOf(report);
  } catch (error) {
    if (!(error instanceof ContractSetupError)) throw error;
    const message = printable(maskSecret(error.message, token));
    if (options.junitPath) writeJunitText(options.junitPath, renderSetupErrorJunit(message));
    const baseUrl = target?.baseUrl ?? options.baseUrl ?? '';
    if (options.htmlPath) writeHtml(options.htmlPath, renderSetupErrorHtml(message, baseUrl));
    return {
      verdict: 'setup-error',
      exitCode: 2,
      setupError: message,
      baseUrl,
      seed,
      fuzzRuns,
      rules: RULE_IDS.map((id) => ({
        id,
        state: 'skipped',
        reason: `set-up error: ${message}`,
        durationMs: 0,
        failures: [],
        omittedFailures: 0,
      })),
      counts: { passed: 0, failed: 0, skipped: RULE_IDS.length, total: RULE_IDS.length },
      requests: 0,
      durationMs: Date.now() - started,
      cleanup: { deleted: 0, leftover: [], unexplained: [] },
      report: `contract: ${message}`,
    };
  } finally {
    await target?.close();
  }
}

function resolveProfile(profile: RunContractOptions['profile']): ContractProfile {
  if (profile === undefined) return loadProfile(DEFAULT_PROFILE_PATH);
  return typeof profile === 'string' ? loadProfile(profile) : parseProfile(profile, 'the profile option');
}

/** The library's result of a report (observe mode builds one too). */
export function resultOf(report: ContractReport): ContractResult {
  const rules: RuleOutcome[] = report.results.map((r) => ({
    id: r.rule,
    state: r.state,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    durationMs: r.durationMs,
    ...(r.requests !== undefined ? { requests: r.requests } : {}),
    ...(r.exchangesJudged !== undefined ? { exchangesJudged: r.exchangesJudged } : {}),
    failures: r.failures.map(recordOf),
    omittedFailures: r.omitted,
  }));
  const count = (state: RuleState) => rules.filter((r) => r.state === state).length;
  const counts = { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), total: rules.length };
  const verdict: Verdict = report.conforms
    ? 'conforms'
    : report.setupProblem
      ? 'setup-error'
      : counts.failed > 0 || !report.stoppedBecause
        ? 'does-not-conform'
        : 'incomplete';
  return {
    verdict,
    exitCode: verdict === 'conforms' ? 0 : verdict === 'does-not-conform' ? 1 : 2,
    ...(report.setupProblem ? { setupError: report.setupProblem } : {}),
    stoppedBecause: report.stoppedBecause,
    baseUrl: report.baseUrl,
    runId: report.runId,
    seed: report.seed,
    fuzzRuns: report.fuzzRuns,
    rules,
    counts,
    requests: report.exchanges,
    durationMs: report.durationMs,
    cleanup: report.cleanup,
    report: renderReport(report),
  };
}

function recordOf(failure: Failure): FailureRecord {
  const ex = failure.exchange;
  const actual = [ex ? describeResponse(ex) : undefined, failure.actual ? printable(failure.actual) : undefined]
    .filter(Boolean)
    .join(' · ');
  return {
    operationId: failure.operationId,
    ...(ex
      ? {
          request: {
            method: ex.request.method,
            url: printable(ex.request.url),
            headers: ex.request.headers,
            ...(ex.request.body !== undefined ? { body: ex.request.body } : {}),
          },
          curl: ex.curl,
        }
      : {}),
    expected: printable(failure.expected),
    actual: actual || '(nothing)',
    ...(failure.schemaErrors ? { schemaErrors: failure.schemaErrors } : {}),
    count: failure.repeats ?? 1,
    ...(failure.alike ? { alike: failure.alike.map(printable) } : {}),
    text: renderFailure(failure),
  };
}
