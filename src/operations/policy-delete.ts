import { Refusal } from '../domain/refusal.js';
import { refusalBody, type OperationInput, type Reply } from './reply.js';

/** `DELETE /v2/policy/delete`: 200 `{message, code}`; an unknown id is a 400 (the spec declares no 404). */
export async function policyDelete({ service, body }: OperationInput<'policy_delete'>): Promise<Reply<'policy_delete'>> {
  try {
    return { status: 200, body: { message: await service.remove(body.id), code: '200' } };
  } catch (error) {
    if (error instanceof Refusal) return { status: 400, body: refusalBody(400, error) };
    throw error;
  }
}
