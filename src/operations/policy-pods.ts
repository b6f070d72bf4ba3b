import { Refusal } from '../domain/refusal.js';
import { refusalBody, type OperationInput, type Reply } from './reply.js';

/** `GET /v2/policy/{policy_id}/pods`: a malformed id is a 400, an unknown one a 404. */
export function policyPods({ service, params }: OperationInput<'policy_pods'>): Reply<'policy_pods'> {
  try {
    return { status: 200, body: service.pods(params.policy_id) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return error.kind === 'invalid' ? { status: 400, body: refusalBody(400, error) } : { status: 404, body: refusalBody(404, error) };
  }
}
