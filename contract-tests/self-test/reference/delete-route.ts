import { UUID } from '../../uuid.js';
import { HttpError, type ReferenceState, type Reply } from './reference-state.js';

/** DELETE /v2/policy/delete: removes an existing policy by the id in the body. */
export function deleteRoute(s: ReferenceState, body: () => unknown): Reply {
  const b = body() as { id?: unknown } | null;
  if (typeof b !== 'object' || b === null || typeof b.id !== 'string' || !UUID.test(b.id)) throw new HttpError(400, 'id must be a UUID');
  const p = s.find(b.id);
  if (!p && s.has('delete_unknown_200')) return { status: 200, json: { message: `policy ${b.id} deleted`, code: '200' } };
  if (!p) throw new HttpError(400, `policy ${b.id} does not exist`);
  if (s.has('soft_delete')) p.deleted = true;
  else s.policies.delete(b.id);
  return { status: 200, json: { message: `policy ${b.id} deleted`, code: '200' } };
}
