/** The rules of issue 3, in the order the report lists them. Ids are stable: CI dashboards key on them. */
export const RULE_IDS = [
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'positive_data_acceptance',
  'not_a_server_error',
  'lifecycle',
  'use_after_free',
  'unknown_id',
  'cross_endpoint_consistency',
  'ignored_auth',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/**
 * Execution order differs from the report order: the three shape rules judge every exchange made
 * by the others, so they are settled last.
 */
export const EXECUTION_ORDER: readonly RuleId[] = [
  'positive_data_acceptance',
  'negative_data_rejection',
  'lifecycle',
  'use_after_free',
  'unknown_id',
  'cross_endpoint_consistency',
  'not_a_server_error',
  'ignored_auth',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];

/** Rules judged on every response rather than by a scenario of their own. */
export const SHAPE_RULES: readonly RuleId[] = [
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}
