import type { Divergence, HeldReply } from './fault-proxy.js';

/** The reply's JSON body changed by `edit` when it is an error's ApiError. */
const editError =
  (edit: (body: Record<string, unknown>, status: number) => void): Divergence['reply'] =>
  (_req, reply: HeldReply) => {
    if (reply.status < 400 || reply.body.length === 0) return reply;
    let body: unknown;
    try {
      body = JSON.parse(reply.body.toString('utf8'));
    } catch {
      return reply;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply;
    edit(body as Record<string, unknown>, reply.status);
    return { ...reply, body: Buffer.from(JSON.stringify(body)) };
  };

/** The spec makes ApiError's `code` optional: errors without it (a 401 `{message}` included) conform. */
export const ERRORS_WITHOUT_CODE: Divergence = {
  reply: editError((body) => {
    delete body.code;
  }),
};
