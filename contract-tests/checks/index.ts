import type { RuleId } from '../rules.js';
import { contentTypeConformance } from './content-type-conformance.js';
import { crossEndpointConsistency } from './cross-endpoint-consistency.js';
import { ignoredAuth } from './ignored-auth.js';
import { lifecycle } from './lifecycle.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { notAServerError } from './not-a-server-error.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';
import { responseSchemaConformance } from './response-schema-conformance.js';
import type { RuleCheck } from './rule-context.js';
import type { ShapeCheck } from './shape-check.js';
import { statusCodeConformance } from './status-code-conformance.js';
import { unknownId } from './unknown-id.js';
import { useAfterFree } from './use-after-free.js';

export const SHAPE_CHECKS: readonly ShapeCheck[] = [statusCodeConformance, contentTypeConformance, responseSchemaConformance];

export const CHECKS: Record<RuleId, RuleCheck> = {
  status_code_conformance: statusCodeConformance,
  content_type_conformance: contentTypeConformance,
  response_schema_conformance: responseSchemaConformance,
  negative_data_rejection: negativeDataRejection,
  positive_data_acceptance: positiveDataAcceptance,
  not_a_server_error: notAServerError,
  lifecycle,
  use_after_free: useAfterFree,
  unknown_id: unknownId,
  cross_endpoint_consistency: crossEndpointConsistency,
  ignored_auth: ignoredAuth,
};
