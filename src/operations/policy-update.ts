import { Refusal } from '../domain/refusal.js';
import { refusalBody, type OperationInput, type Reply } from './reply.js';

/** `POST /v2/policy/update`: 200 text/plain with the id; an unknown id or a refused body is a 400. */
export async function policyUpdate({ service, body }: OperationInput<'policy_update'>): Promise<Reply<'policy_update'>> {
  try {
    return { status: 200, body: await service.update(body) };
  } catch (error) {
    if (error instanceof Refusal) return { status: 400, body: refusalBody(400, error) };
    throw error;
  }
}
