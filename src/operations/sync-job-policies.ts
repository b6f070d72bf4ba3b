import type { OperationInput, Reply } from './reply.js';

/** `POST /v2/policy/sync-jobs`: re-evaluates every jobs policy. */
export async function syncJobPolicies({ service }: OperationInput<'sync_job_policies'>): Promise<Reply<'sync_job_policies'>> {
  return { status: 200, body: { message: await service.syncJobs(), code: '200' } };
}
