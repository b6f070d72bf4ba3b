import type { Operation } from './spec.js';

/**
 * What an operation means, for the scenarios that need it (which one creates, which one lists…):
 * the spec says what each accepts and answers, but not this. Every other list of operations is
 * the spec's own (RunState.operations); an operation the spec adds is toured, fuzzed, refused
 * without a token and reported without being named here.
 */
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

/** Report order: the operations with a meaning above first, then any other of the spec's, in its order. */
export function inReportOrder(operations: Iterable<Operation>): Operation[] {
  const rank = (op: Operation) => {
    const i = (Object.values(OP) as string[]).indexOf(op.operationId);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...operations]
    .map((op, index) => ({ op, index }))
    .sort((a, b) => rank(a.op) - rank(b.op) || a.index - b.index)
    .map((e) => e.op);
}

/** A column heading: the path's last fixed segment (`/v2/policy/{policy_id}/job-status` → `job-status`). */
export function shortName(operation: Operation): string {
  return (
    operation.path
      .split('/')
      .filter((s) => s !== '' && !s.startsWith('{'))
      .at(-1) ?? operation.operationId
  );
}

export type ResourceKind = 'pods' | 'namespace' | 'jobs';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['pods', 'namespace', 'jobs'];
