import type { ContractReport } from '../contract-report.js';
import { expect } from 'vitest';
import type { RuleId } from '../rules/index.js';
import type { Fault } from './reference-server.js';
import { runAgainstReference } from './run-against-reference.js';

export interface BrokenServerCase {
  fault: Fault;
  rule: RuleId;
  what: string;
  /** Other rules the fault rightly breaks too; every rule not named here must pass (no false alarms). */
  alsoFails?: RuleId[];
  /** Generated inputs per operation; 0 (the phase off) unless the fault needs them to be found. */
  fuzzRuns?: number;
}

/** Shapes and input handling: rules 1–6. */
export const SHAPE_AND_INPUT_CASES: BrokenServerCase[] = [
  {
    fault: 'list_input_is_string',
    rule: 'response_schema_conformance',
    what: 'a wrong type (list input as a string)',
    // The heartbeat sent at its edges does not read back as the integer sent.
    alsoFails: ['lifecycle', 'model_conformance', 'positive_data_acceptance'],
  },
  { fault: 'pod_missing_status', rule: 'response_schema_conformance', what: 'a missing required field (pod status)' },
  { fault: 'timestamp_not_date_time', rule: 'response_schema_conformance', what: 'a timestamp that is not RFC 3339' },
  {
    fault: 'create_answers_201',
    rule: 'status_code_conformance',
    what: 'an undeclared status (create → 201)',
    alsoFails: ['positive_data_acceptance', 'lifecycle', 'model_conformance'],
  },
  { fault: 'create_answers_json', rule: 'content_type_conformance', what: 'create answering JSON instead of text/plain' },
  {
    fault: 'errors_as_text_plain',
    rule: 'content_type_conformance',
    what: 'errors sent as text/plain',
    alsoFails: [
      'response_schema_conformance',
      'negative_data_rejection',
      'use_after_free',
      'unknown_id',
      'ignored_auth',
      'model_conformance',
    ],
  },
  { fault: 'crash_on_bad_json', rule: 'negative_data_rejection', what: 'a 500 on malformed JSON' },
  { fault: 'accepts_negative_heartbeat', rule: 'negative_data_rejection', what: 'a negative heartbeat_time accepted' },
  { fault: 'accepts_int32_overflow', rule: 'negative_data_rejection', what: 'an int32 priority out of range accepted' },
  { fault: 'accepts_text_plain_body', rule: 'negative_data_rejection', what: 'a text/plain body accepted' },
  {
    fault: 'stores_rejected_create',
    rule: 'negative_data_rejection',
    what: 'a refused create stored anyway',
    alsoFails: ['model_conformance'],
  },
  {
    fault: 'rejects_null_job_filter',
    rule: 'positive_data_acceptance',
    what: 'a null job_filter refused',
    alsoFails: ['lifecycle', 'cross_endpoint_consistency', 'model_conformance'],
  },
  { fault: 'crash_on_long_id', rule: 'not_a_server_error', what: 'a 500 on long path ids, found only by generated inputs', fuzzRuns: 25 },
];

/** State and meaning: rules 7–11. */
export const STATE_AND_MEANING_CASES: BrokenServerCase[] = [
  {
    fault: 'stateless_create',
    rule: 'lifecycle',
    what: 'a stateless create',
    alsoFails: ['positive_data_acceptance', 'use_after_free', 'cross_endpoint_consistency', 'model_conformance'],
  },
  {
    fault: 'update_ignored',
    rule: 'lifecycle',
    what: 'an update that changes nothing',
    // The heartbeat edges sent through update do not read back either.
    alsoFails: ['model_conformance', 'positive_data_acceptance'],
  },
  {
    fault: 'pod_count_off_by_one',
    rule: 'cross_endpoint_consistency',
    what: 'list pod_count disagreeing with /pods',
    alsoFails: ['model_conformance'],
  },
  {
    fault: 'ignores_priority_filter',
    rule: 'cross_endpoint_consistency',
    what: 'the job_filter priority ignored',
    alsoFails: ['model_conformance'],
  },
  {
    fault: 'pods_policy_monitors_nothing',
    rule: 'cross_endpoint_consistency',
    what: 'a pods policy monitoring none of its pods (consistently: count 0, /pods empty)',
    alsoFails: ['model_conformance'],
  },
  {
    fault: 'sync_clears_tracking',
    rule: 'cross_endpoint_consistency',
    what: 'sync-jobs emptying job-status',
    alsoFails: ['model_conformance'],
  },
  {
    fault: 'soft_delete',
    rule: 'use_after_free',
    what: 'a deleted policy still served by /pods, /jobs, /job-status',
    alsoFails: ['model_conformance'],
  },
  {
    fault: 'update_upserts',
    rule: 'use_after_free',
    what: 'update of a deleted id recreating it',
    alsoFails: ['unknown_id', 'model_conformance'],
  },
  {
    fault: 'unknown_id_200',
    rule: 'unknown_id',
    what: '/pods answering 200 for an unknown id',
    alsoFails: ['use_after_free', 'model_conformance'],
  },
  {
    fault: 'malformed_id_404_on_pods',
    rule: 'unknown_id',
    what: '/pods answering 404 for a malformed id',
    alsoFails: ['model_conformance'],
  },
  { fault: 'auth_ignored', rule: 'ignored_auth', what: 'no token required', alsoFails: ['model_conformance'] },
  { fault: 'any_token_accepted', rule: 'ignored_auth', what: 'a wrong token accepted', alsoFails: ['model_conformance'] },
];

/**
 * What the scripted rules missed (issue #12): each server passes every other rule, and only the
 * model finds it, from the API's meaning rather than from a script of this very bug.
 */
export const MODEL_CASES: BrokenServerCase[] = [
  { fault: 'create_overwrites_taken_id', rule: 'model_conformance', what: 'a create with a taken id overwriting that policy' },
  { fault: 'job_filter_ignores_resource_ids', rule: 'model_conformance', what: 'resource_ids forgotten when a job_filter is set' },
  {
    fault: 'sync_keeps_created_filter',
    rule: 'model_conformance',
    what: "a jobs policy's filter changed, the sync still tracking the old jobs",
  },
  {
    fault: 'job_count_zero_for_non_jobs',
    rule: 'model_conformance',
    what: 'list job_count 0 (not null) for a policy that is not a jobs policy',
  },
  {
    fault: 'defaulted_resource_listed_empty',
    rule: 'model_conformance',
    what: 'list resource "" after a create that left it to its default',
  },
  { fault: 'timestamp_frozen_on_update', rule: 'model_conformance', what: 'list timestamp not moving on update' },
  { fault: 'duplicate_ids_counted_twice', rule: 'model_conformance', what: 'a resource id sent twice counted (and listed) twice' },
];

/** The suite fails the broken server, names the rule in its verdict, table and failures, and cleans up. */
export async function expectSuiteNamesRule({ fault, rule, alsoFails = [], fuzzRuns }: BrokenServerCase): Promise<void> {
  const { report, leftOnServer } = await runAgainstReference(fault, { fuzzRuns: fuzzRuns ?? 0 });
  expect(report.conforms).toBe(false);
  expect([...report.failedRules].sort()).toEqual([rule, ...alsoFails].sort());
  const result = report.results.find((r) => r.rule === rule);
  expect(result?.failures.length).toBeGreaterThan(0);
  for (const failure of result?.failures ?? []) expect(failure.rule).toBe(rule);
  expect(report.table).toMatch(new RegExp(`^${rule}\\s+FAIL`, 'm'));
  // Everything the suite created is gone; what a faulty target made up on its own is reported.
  expect(report.cleanup.leftover).toEqual([]);
  expectStraysReported(report, leftOnServer);
}

/** What a faulty target stored on its own is reported: each named (at most UNEXPLAINED_NAMED), the rest counted. */
export function expectStraysReported(report: ContractReport, leftOnServer: string[]): void {
  const { unexplained, unexplainedOmitted = 0 } = report.cleanup;
  expect(leftOnServer).toEqual(expect.arrayContaining(unexplained));
  expect(leftOnServer).toHaveLength(unexplained.length + unexplainedOmitted);
}
