import type { BrokenServerCase } from '../broken-server-cases.js';
import type { Variant } from '../reference-server.js';

/**
 * The design review's single-fault servers (reference server + one new Fault each). Every one breaks the
 * API as README "How the mock behaves" / the spec describe it; `what` cites the line.
 */

/** Each caught by the rule named, plus `alsoFails`, and no other (14 of them were missed before the fixes that followed). */
export const REVIEW_CAUGHT_CASES: BrokenServerCase[] = [
  {
    fault: 'all_jobs_across_clusters',
    rule: 'model_conformance',
    what: 'a jobs policy with no resource_ids matching the jobs of every cluster ("all jobs of the cluster when empty")',
  },
  {
    fault: 'job_status_empty_until_sync',
    rule: 'model_conformance',
    what: 'job-status empty (last_updated null) until the first sync-jobs ("as of the last sync (create, update or sync-jobs)")',
  },
  {
    fault: 'update_does_not_resync',
    rule: 'model_conformance',
    what: 'an update of a jobs policy leaving job-status as it was ("last sync (create, update or sync-jobs)")',
  },
  { fault: 'sync_keeps_last_updated', rule: 'model_conformance', what: 'last_updated never moving after create' },
  {
    fault: 'delete_unknown_200',
    rule: 'unknown_id',
    what: 'delete of an unknown id answering 200 ("an unknown id is a 400")',
    alsoFails: ['use_after_free', 'model_conformance'],
  },
  {
    fault: 'update_keeps_job_filter',
    rule: 'model_conformance',
    what: 'an update without job_filter keeping the old filter ("replaces the settings")',
  },
  {
    fault: 'api_key_operations_unauthenticated',
    rule: 'ignored_auth',
    what: 'no auth on the three operations secured by `api_key` (sync-jobs, /jobs, /job-status)',
    alsoFails: ['model_conformance'],
  },
  { fault: 'create_answers_text_html', rule: 'content_type_conformance', what: 'create answering text/html (express res.send)' },
  {
    fault: 'crash_on_empty_namespace_ids',
    rule: 'model_conformance',
    what: 'a 500 for a namespace policy with resource_ids [] (found only by the model, not by not_a_server_error)',
  },
  { fault: 'last_updated_is_read_time', rule: 'model_conformance', what: 'job-status last_updated = the time of the read' },
  {
    fault: 'pods_404_bare',
    rule: 'content_type_conformance',
    what: '/pods 404 without its declared ApiError body',
    alsoFails: ['response_schema_conformance'],
  },
  { fault: 'sync_stops_after_first', rule: 'model_conformance', what: 'sync-jobs re-evaluating only the first jobs policy' },
  {
    fault: 'pod_count_frozen_at_create',
    rule: 'model_conformance',
    what: 'list pod_count computed at create and never again',
  },
  {
    fault: 'error_code_not_status',
    rule: 'error_code_is_status',
    what: 'ApiError code "BAD_REQUEST"/"NOT_FOUND": "`code` the status as a string"',
  },
  {
    fault: 'rejects_json_charset',
    rule: 'positive_data_acceptance',
    what: 'a body sent as "application/json; charset=utf-8" refused (exact header compare)',
  },
  {
    fault: 'rejects_unknown_fields',
    rule: 'positive_data_acceptance',
    what: 'a body with a property the schema does not name refused (PolicyRequest has no additionalProperties: false)',
  },
  {
    fault: 'create_id_json_quoted',
    rule: 'content_type_conformance',
    what: 'create/update answering the id JSON-quoted ("\\"…\\"") in text/plain: "answers 200 text/plain with the new policy\'s id"',
  },
  {
    fault: 'accepts_unknown_cluster',
    rule: 'negative_data_rejection',
    what: 'a create on a cluster that does not exist accepted: "`cluster_id` ... must exist ... else 400"',
  },
  {
    fault: 'accepts_non_uuid_explicit_id',
    rule: 'negative_data_rejection',
    what: 'a create with id "abc" accepted (then unreachable: /pods of it is a 400): "An explicit `id` must be a free UUID (else 400)"',
    // Its 200 then answers "abc": not a policy id (a UUID) as create's text/plain.
    alsoFails: ['content_type_conformance'],
  },
  {
    fault: 'empty_namespace_filter_ignored',
    rule: 'model_conformance',
    what: 'job_filter.namespace "" read as "no filter": "narrowed by `job_filter.namespace` (a namespace name)"',
  },
  {
    fault: 'priority_zero_ignored',
    rule: 'model_conformance',
    what: 'job_filter.priority 0 read as "no filter" (a truthiness test): "narrowed by ... job_filter.priority"',
  },
  {
    fault: 'jobs_policy_pods_whole_namespace',
    rule: 'model_conformance',
    what: 'a jobs policy monitoring every pod of its jobs\' namespaces: "`jobs` → the pods of the matched jobs"',
  },
  {
    fault: 'job_info_pod_count_zero',
    rule: 'model_conformance',
    what: '/jobs affected_jobs[].pod_count always 0: "Counts agree everywhere"',
  },
  {
    fault: 'job_status_least_urgent',
    rule: 'model_conformance',
    what: 'job_status the least urgent status: "the most urgent status of the tracked jobs: Running, Suspended, Failed, Complete"',
  },
  {
    fault: 'resource_ids_any_kind',
    rule: 'model_conformance',
    what: 'a pods policy naming a job id accepted: "every resource_ids entry must exist in that cluster as the resource\'s kind ... else 400"',
  },
  {
    fault: 'namespace_pods_across_clusters',
    rule: 'model_conformance',
    what: 'a namespace policy joining pods on the namespace name across clusters (pods of another cluster listed)',
  },
  {
    fault: 'namespace_running_pods_only',
    rule: 'model_conformance',
    what: 'a namespace policy monitoring only Running pods: "`namespace` → every pod in those namespaces"',
  },
  {
    fault: 'sync_fails_without_jobs_policies',
    rule: 'model_conformance',
    what: 'sync-jobs answering 500 when there is no jobs policy: sync-jobs "answers 200"',
  },
];

/** Differences the contract allows: the suite must pass each (a failure would be a false alarm). */
export const REVIEW_ALLOWED_VARIANTS: Variant[] = [
  'json_charset',
  'list_newest_first',
  'second_resolution_offset_times',
  'forbidden_for_wrong_token',
  'refuses_empty_pods_ids',
  'extra_response_fields',
  'id_with_newline',
  'dedup_resource_list',
  'timestamp_moves_on_sync',
  'job_count_absent',
  'null_priority_job',
];
