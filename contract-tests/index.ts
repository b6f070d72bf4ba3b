/**
 * The contract suite as a library: judge a running implementation of the Cedana Policy API from
 * any test runner or script.
 *
 * ```ts
 * import { runContract } from 'cedana-policy-mock/contract';
 *
 * const result = await runContract({ baseUrl: 'http://127.0.0.1:8080', token: process.env.TOKEN, profile: 'profile.json' });
 * expect(result.rules.filter((r) => r.state === 'failed')).toEqual([]);
 * ```
 *
 * `runContract` resolves (never rejects for the target's or the set-up's sake) to a result whose
 * `exitCode` means what the CLI's does: 0 conforms, 1 breaks a rule, 2 set-up problem. The token
 * never appears in it: reproduction lines read `-H "Authorization: Bearer $CONTRACT_TOKEN"`.
 * It judges the base URL given; it starts this package's own mock only with `startMock: true`.
 * @module
 */
export {
  runContract,
  type ContractResult,
  type FailureRecord,
  type FailureRequest,
  type RuleOutcome,
  type RuleState,
  type RunContractOptions,
  type Verdict,
  type Waiver,
  type WaiverOutcome,
} from './run-contract.js';
export type { ContractProfile } from './config.js';
export {
  DEFAULT_DEADLINE_MS,
  DEFAULT_FUZZ_RUNS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_MODEL_RUNS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SEED,
  DEFAULT_TOKEN,
} from './defaults.js';
export { replayModelSequence, type ReplayResult } from './model/replay-model-sequence.js';
export { readSavedFailure, replaySavedFailure, SAVED_FAILURE_FORMAT, type SavedFailure } from './model/saved-failure.js';
export type { ModelStep } from './model/model-step.js';
export { RULE_IDS, type RuleId } from './rules/index.js';
export type { SchemaError } from './validator.js';
export { observe, type ObserveHandle, type ObserveOptions } from './observe/observe.js';
export type { ObserveResult, ReportPaths } from './observe/observe-report.js';
export type { ClientFinding } from './observe/observation.js';
export type { CleanupOutcome } from './run-state.js';
