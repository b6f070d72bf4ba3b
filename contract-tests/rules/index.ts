import { contentTypeConformance } from './content-type-conformance.js';
import { crossEndpointConsistency } from './cross-endpoint-consistency.js';
import { differentialAgreement } from './differential-agreement.js';
import { errorCodeIsStatus } from './error-code-is-status.js';
import { ignoredAuth } from './ignored-auth.js';
import { lifecycle } from './lifecycle.js';
import { modelConformance } from './model-conformance.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { notAServerError } from './not-a-server-error.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import { RuleRegistry } from './rule-registry.js';
import { statusCodeConformance } from './status-code-conformance.js';
import { unknownId } from './unknown-id.js';
import { useAfterFree } from './use-after-free.js';

/**
 * The one list of rule files. Order here means nothing: each rule declares its id, kind and
 * orders itself. A value list rather than side-effect registration, so that `RuleId` is a
 * compile-time union and no query can run before a rule has registered.
 */
const DEFINED = [
  contentTypeConformance,
  crossEndpointConsistency,
  differentialAgreement,
  errorCodeIsStatus,
  ignoredAuth,
  lifecycle,
  modelConformance,
  negativeDataRejection,
  notAServerError,
  positiveDataAcceptance,
  responseSchemaConformance,
  statusCodeConformance,
  unknownId,
  useAfterFree,
] as const;

export type RuleId = (typeof DEFINED)[number]['id'];

export const RULES = new RuleRegistry<RuleId>(DEFINED);

/** Every rule id, in report order. Ids are stable: CI dashboards key on them. */
export const RULE_IDS: readonly RuleId[] = RULES.ids;

export function isRuleId(value: string): value is RuleId {
  return RULES.has(value);
}
