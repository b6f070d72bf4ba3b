import type { OperationInput, Reply } from './reply.js';

/** `GET /v2/policy/list`: every policy with its live counts. */
export function policyList({ service }: OperationInput<'policy_list'>): Reply<'policy_list'> {
  return { status: 200, body: service.list() };
}
