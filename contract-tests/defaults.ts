import type { Level } from './basis.js';
import type { ContractOptions } from './config.js';
import { packageFile } from './package-file.js';

// Every default of a contract run, and where it is applied: here and nowhere else. The CLI shows
// them in --help (commander applies them to flags), `runContract` applies them to the library's
// options, and `ContractRun.start` to the runner's; below that, options are complete.

export const DEFAULT_TOKEN = 'contract-suite-token';
/** Sized so a full run against the mock stays well under a minute. */
export const DEFAULT_FUZZ_RUNS = 100;
export const DEFAULT_SEED = 424242;
/** Sized so the model-based phase against the mock stays well under 30 s. */
export const DEFAULT_MODEL_RUNS = 100;
/** Distinct failures the model-based phase reports, each shrunk, before it stops looking: a few bugs per run, not one. */
export const DEFAULT_MODEL_MAX_FAILURES = 5;
export const DEFAULT_PROFILE_PATH = packageFile('fixtures/contract-profile.json');
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Larger than any answer a test cluster gives, small enough that a hostile one cannot exhaust the heap. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Long enough for a full run against a slow staging server; short enough to fail a stuck CI job. */
export const DEFAULT_DEADLINE_MS = 300_000;
/** One try: poll for the target only when asked. */
export const DEFAULT_WAIT_FOR_TARGET_MS = 0;
/** Observe mode's open client connections at most: each may hold two bodies of up to maxBodyBytes. */
export const DEFAULT_OBSERVE_MAX_CONNECTIONS = 64;
/** Exchanges a HAR file keeps (the latest): a default run sends fewer, so its file is whole. */
export const DEFAULT_HAR_MAX_ENTRIES = 5_000;
/** Characters of each body a HAR file keeps: as many as the suite keeps of a failure's body. */
export const DEFAULT_HAR_BODY_CHARS = 16_000;

/** The whole suite: the spec and the documented meaning. */
export const DEFAULT_LEVEL: Level = 'full';

/** The runner's options with every default applied: what the run state, the client and the rules read. */
export type ResolvedOptions = ContractOptions & {
  modelRuns: number;
  modelMaxFailures: number;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  deadlineMs: number;
  level: Level;
};

export function withRunDefaults(options: ContractOptions): ResolvedOptions {
  return {
    ...options,
    modelRuns: options.modelRuns ?? DEFAULT_MODEL_RUNS,
    modelMaxFailures: options.modelMaxFailures ?? DEFAULT_MODEL_MAX_FAILURES,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    level: options.level ?? DEFAULT_LEVEL,
  };
}

/** What the library's options leave out, filled in (the profile stays a path or an object: loading it can fail). */
export interface LibrarySettings {
  token: string;
  seed: number;
  fuzzRuns: number;
  modelRuns: number;
  modelMaxFailures: number;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  deadlineMs: number;
  waitForTargetMs: number;
  expectAuth: boolean;
  harMaxEntries: number;
  harBodyChars: number;
}

export function withLibraryDefaults(options: {
  token?: string | undefined;
  seed?: number | undefined;
  fuzzRuns?: number | undefined;
  modelRuns?: number | undefined;
  modelMaxFailures?: number | undefined;
  requestTimeoutMs?: number | undefined;
  maxResponseBytes?: number | undefined;
  deadlineMs?: number | undefined;
  waitForTargetMs?: number | undefined;
  expectAuth?: boolean | undefined;
  startMock?: boolean | undefined;
  harMaxEntries?: number | undefined;
  harBodyChars?: number | undefined;
}): LibrarySettings {
  return {
    token: options.token ?? DEFAULT_TOKEN,
    seed: options.seed ?? DEFAULT_SEED,
    fuzzRuns: options.fuzzRuns ?? DEFAULT_FUZZ_RUNS,
    modelRuns: options.modelRuns ?? DEFAULT_MODEL_RUNS,
    modelMaxFailures: options.modelMaxFailures ?? DEFAULT_MODEL_MAX_FAILURES,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    waitForTargetMs: options.waitForTargetMs ?? DEFAULT_WAIT_FOR_TARGET_MS,
    // Our own mock is started with the suite's token, so refusing other tokens is part of its contract.
    expectAuth: options.expectAuth ?? options.startMock === true,
    harMaxEntries: options.harMaxEntries ?? DEFAULT_HAR_MAX_ENTRIES,
    harBodyChars: options.harBodyChars ?? DEFAULT_HAR_BODY_CHARS,
  };
}
