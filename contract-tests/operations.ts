/** Operation ids of the spec that the scenarios drive; paths and statuses come from the spec itself. */
export const OP = {
  create: 'policy_create',
  list: 'policy_list',
  update: 'policy_update',
  delete: 'policy_delete',
  pods: 'policy_pods',
  jobs: 'policy_jobs',
  jobStatus: 'get_job_policy_status',
  syncJobs: 'sync_job_policies',
} as const;

export type OperationId = (typeof OP)[keyof typeof OP];

/** Column order of the report. */
export const OPERATION_ORDER: readonly OperationId[] = [
  OP.create,
  OP.list,
  OP.update,
  OP.delete,
  OP.pods,
  OP.jobs,
  OP.jobStatus,
  OP.syncJobs,
];

export const SHORT_NAMES: Record<OperationId, string> = {
  policy_create: 'create',
  policy_list: 'list',
  policy_update: 'update',
  policy_delete: 'delete',
  policy_pods: 'pods',
  policy_jobs: 'jobs',
  get_job_policy_status: 'job-status',
  sync_job_policies: 'sync-jobs',
};

export type ResourceKind = 'pods' | 'namespace' | 'jobs';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['pods', 'namespace', 'jobs'];
