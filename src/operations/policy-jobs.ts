import { Refusal } from '../domain/refusal.js';
import type { OperationInput, Reply } from './reply.js';

/** `GET /v2/policy/{policy_id}/jobs`: the spec declares only a body-less 404 for any id it cannot answer. */
export function policyJobs({ service, params }: OperationInput<'policy_jobs'>): Reply<'policy_jobs'> {
  try {
    return { status: 200, body: service.jobs(params.policy_id) };
  } catch (error) {
    if (error instanceof Refusal) return { status: 404 };
    throw error;
  }
}
