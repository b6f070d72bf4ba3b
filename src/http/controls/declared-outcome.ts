import { randomUUID } from 'node:crypto';
import type { Operation } from '../../spec/spec-index.js';
import type { Outcome } from '../pipeline/outcome.js';

/** The operation's declared response for `status`, built from the spec: its description, its media type. */
export function declaredOutcome(op: Operation, status: number, problem: string): Outcome {
  const declared = op.responses.get(status);
  if (!declared || declared.mediaType === null) return { status, problem };
  // create/update answer the affected policy's id; nothing was created, so a fresh one.
  if (declared.mediaType === 'text/plain') return { status, body: randomUUID(), problem };
  // Every declared JSON response of a write (and every error) is an ApiError.
  return { status, body: { message: declared.description, code: String(status), details: [] }, problem };
}
