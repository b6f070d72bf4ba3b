import { Refusal } from '../domain/refusal.js';
import { refusalBody, type OperationInput, type Reply } from './reply.js';

/** `POST /v2/policy/create`: 200 text/plain with the new id; a refused body is a 400. */
export async function policyCreate({ service, body }: OperationInput<'policy_create'>): Promise<Reply<'policy_create'>> {
  try {
    return { status: 200, body: await service.create(body) };
  } catch (error) {
    if (error instanceof Refusal) return { status: 400, body: refusalBody(400, error) };
    throw error;
  }
}
