import type { Level } from './basis.js';
import { ContractSetupError, loadProfile, parseProfile, type ContractProfile } from './config.js';
import { DEFAULT_PROFILE_PATH, withLibraryDefaults } from './defaults.js';
import { printable } from './printable.js';
import { resultOf, type ContractResult } from './report/contract-result.js';
import { renderHtmlReport, renderSetupErrorHtml, writeHtml } from './report/html-report.js';
import { renderSetupErrorJunit, writeJunit, writeJunitText } from './report/junit.js';
import { RULE_IDS, type RuleId } from './rules/index.js';
import { runAllRules } from './runner.js';
import { renderHar, HarLog } from './report/har.js';
import { writeReportFile } from './report/write-report-file.js';
import { checkHeaders } from './header-option.js';
import { COMPARE_TOKEN_VARIABLE, headerSecrets, secretMasker, TOKEN_VARIABLE } from './secret-mask.js';
import { readCaCert } from './target-tls.js';
import { applyWaivers, loadWaivers, type Waiver } from './waivers.js';
import { resolveTarget, type Target } from './target.js';
import { waitForTarget } from './wait-for-target.js';

export {
  resultOf,
  type ContractResult,
  type FailureRecord,
  type FailureRequest,
  type RuleOutcome,
  type Verdict,
} from './report/contract-result.js';
export type { RuleState } from './rule-state.js';
export type { Waiver, WaiverOutcome } from './waiver.js';

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
  /** Distinct failures the model-based phase reports, each shrunk, before it stops looking (default 5). */
  modelMaxFailures?: number | undefined;
  /** Write each shrunk failing sequence of the model-based phase here, as a vitest regression test. */
  saveFailures?: string | undefined;
  /** A second implementation: the same generated sequences run against both (differential_agreement). */
  compareWith?: string | undefined;
  /** Bearer token for `compareWith` (default: `token`). Never appears in the result. */
  compareToken?: string | undefined;
  /** The differential compares every property, null and error code too (default: what the contract makes meaningful). */
  compareStrict?: boolean | undefined;
  /** Ids that exist in `compareWith`: an object or a file path (default: `profile`). */
  compareProfile?: ContractProfile | string | undefined;
  /** Seed of generated inputs and random ids (default 424242). */
  seed?: number | undefined;
  /** Only these rules (default: all that apply). */
  rules?: readonly RuleId[] | undefined;
  /** Never these rules: reported as skipped, reason `excluded`. */
  excludeRules?: readonly RuleId[] | undefined;
  /** `spec`: only what the OpenAPI document itself requires; `full` (default): its documented meaning too. */
  level?: Level | undefined;
  /**
   * Known failures to accept for now: a JSON file (`{ "waivers": [...] }`) or the list. A waived
   * failure is still reported, as waived, and does not fail the run; an expired waiver or one that
   * matched nothing is reported. A malformed file is a set-up error.
   */
  waivers?: string | readonly Waiver[] | undefined;
  /** Sent on every request (to `compareWith` too); values are masked like the token, as `$CONTRACT_HEADER_<NAME>`. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** A PEM file of the CA that signed an https target's certificate. */
  caCert?: string | undefined;
  /** Trust any certificate of an https target (the CLI prints a warning). */
  insecure?: boolean | undefined;
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
  /** Also write the result (what this function returns) here as JSON, secrets masked. */
  jsonPath?: string | undefined;
  /** Also write every exchange of the run here as HAR 1.2, secrets masked. */
  harPath?: string | undefined;
  /** Exchanges the HAR file keeps, the latest (default 5 000). */
  harMaxEntries?: number | undefined;
  /** Characters of each body the HAR file keeps (default 16 000). */
  harBodyChars?: number | undefined;
  /** Progress lines (default: none). */
  log?: ((line: string) => void) | undefined;
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
  const mask = secretMasker([[token, TOKEN_VARIABLE], [options.compareToken, COMPARE_TOKEN_VARIABLE], ...headerSecrets(options.headers)]);
  let target: Target | undefined;
  try {
    const profile = resolveProfile(options.profile);
    const waivers = options.waivers === undefined ? [] : loadWaivers(options.waivers);
    if (options.headers) checkHeaders(options.headers);
    const tls = { ca: options.caCert === undefined ? undefined : readCaCert(options.caCert), insecure: options.insecure };
    if (options.startMock && options.baseUrl) throw new ContractSetupError('give a base URL or startMock, not both');
    if (!options.startMock && !options.baseUrl) throw new ContractSetupError('a base URL is required (--base-url / CONTRACT_BASE_URL)');
    if (options.baseUrl && settings.waitForTargetMs) await waitForTarget(options.baseUrl, settings.waitForTargetMs, requestTimeoutMs, tls);
    target = await resolveTarget({ baseUrl: options.baseUrl, token, expectAuth });
    const compare = options.compareWith
      ? {
          baseUrl: options.compareWith,
          token: options.compareToken ?? token,
          profile: options.compareProfile === undefined ? profile : resolveProfile(options.compareProfile),
        }
      : undefined;
    const ran = await runAllRules({
      baseUrl: target.baseUrl,
      token,
      profile,
      modelRuns: settings.modelRuns,
      modelMaxFailures: settings.modelMaxFailures,
      saveFailuresDir: options.saveFailures,
      compare,
      expectAuth,
      compareAuth: options.expectAuth === true,
      compareStrict: options.compareStrict === true,
      fuzzRuns,
      seed,
      rules: options.rules ? [...options.rules] : undefined,
      excludeRules: options.excludeRules,
      level: options.level,
      headers: options.headers,
      tls,
      har: options.harPath ? { maxEntries: settings.harMaxEntries, bodyChars: settings.harBodyChars } : undefined,
      log: options.log,
      requestTimeoutMs,
      maxResponseBytes: settings.maxResponseBytes,
      deadlineMs: settings.deadlineMs,
    });
    const report = waivers.length > 0 ? applyWaivers(ran, waivers) : ran;
    if (options.junitPath) writeJunit(options.junitPath, report);
    if (options.htmlPath) writeHtml(options.htmlPath, renderHtmlReport(report));
    const result = resultOf(report);
    if (options.jsonPath) writeReportFile(options.jsonPath, report.mask(`${JSON.stringify(result, null, 2)}\n`));
    if (options.harPath && report.exchangeLog) writeReportFile(options.harPath, report.mask(renderHar(report.exchangeLog, HAR_CREATOR)));
    return result;
  } catch (error) {
    if (!(error instanceof ContractSetupError)) throw error;
    const message = printable(mask(error.message));
    if (options.junitPath) writeJunitText(options.junitPath, renderSetupErrorJunit(message));
    const baseUrl = target?.baseUrl ?? options.baseUrl ?? '';
    if (options.htmlPath) writeHtml(options.htmlPath, renderSetupErrorHtml(message, baseUrl));
    // A run that never started: the files asked for say why, so a CI artifact is never missing.
    if (options.harPath) writeReportFile(options.harPath, renderHar(new HarLog(0, 0), HAR_CREATOR, `no run: ${message}`));
    const result: ContractResult = {
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
      counts: { passed: 0, failed: 0, skipped: RULE_IDS.length, waived: 0, total: RULE_IDS.length },
      requests: 0,
      durationMs: Date.now() - started,
      cleanup: { deleted: 0, leftover: [], unexplained: [] },
      report: `contract: ${message}`,
    };
    if (options.jsonPath) writeReportFile(options.jsonPath, mask(`${JSON.stringify(result, null, 2)}\n`));
    return result;
  } finally {
    await target?.close();
  }
}

const HAR_CREATOR = 'cedana-policy-contract';

function resolveProfile(profile: RunContractOptions['profile']): ContractProfile {
  if (profile === undefined) return loadProfile(DEFAULT_PROFILE_PATH);
  return typeof profile === 'string' ? loadProfile(profile) : parseProfile(profile, 'the profile option');
}
