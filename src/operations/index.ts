import type { OperationId } from '../spec/spec-index.js';
import { getJobPolicyStatus } from './get-job-policy-status.js';
import { policyCreate } from './policy-create.js';
import { policyDelete } from './policy-delete.js';
import { policyJobs } from './policy-jobs.js';
import { policyList } from './policy-list.js';
import { policyPods } from './policy-pods.js';
import { policyUpdate } from './policy-update.js';
import type { OperationModule } from './reply.js';
import { syncJobPolicies } from './sync-job-policies.js';

export type { ApiErrorBody, OperationInput, OperationModule, Reply } from './reply.js';

/** One module per operationId; a new operation in the spec fails the type check here until it has one. */
export const OPERATIONS: { [Op in OperationId]: OperationModule<Op> } = {
  policy_create: policyCreate,
  policy_update: policyUpdate,
  policy_delete: policyDelete,
  policy_list: policyList,
  policy_pods: policyPods,
  policy_jobs: policyJobs,
  get_job_policy_status: getJobPolicyStatus,
  sync_job_policies: syncJobPolicies,
};
