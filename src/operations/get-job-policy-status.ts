import { Refusal } from '../domain/refusal.js';
import type { OperationInput, Reply } from './reply.js';

/** `GET /v2/policy/{policy_id}/job-status`: as of the last sync; a body-less 404 as for `/jobs`. */
export function getJobPolicyStatus({ service, params }: OperationInput<'get_job_policy_status'>): Reply<'get_job_policy_status'> {
  try {
    return { status: 200, body: service.jobStatus(params.policy_id) };
  } catch (error) {
    if (error instanceof Refusal) return { status: 404 };
    throw error;
  }
}
