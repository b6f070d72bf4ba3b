import { INT32_MAX } from '../../integer-ranges.js';
import { jsonObject, type Divergence, type HeldReply, type HeldRequest } from './fault-proxy.js';

/** 2^63, the first integer past int64. */
const INT64_PAST = BigInt('9223372036854775808');
const WRITES = ['/v2/policy/create', '/v2/policy/update'];
const HEARTBEAT = /("heartbeat_time"\s*:\s*)(\d+)/;

/** The body with heartbeat_time's literal replaced by `map(literal)`. */
function mapHeartbeat(req: HeldRequest, map: (literal: string) => string): HeldRequest {
  if (!WRITES.includes(req.path)) return req;
  const text = req.body.toString('latin1');
  const mapped = text.replace(HEARTBEAT, (_, key: string, literal: string) => key + map(literal));
  return mapped === text ? req : { ...req, body: Buffer.from(mapped, 'latin1') };
}

/**
 * A target that holds heartbeat_time past 2^53 as the suite sends it: each such literal stands as a
 * small stand-in for the reference server (which refuses what a double cannot keep), and list shows
 * `readBack(literal)` for it. Past the int64 maximum it refuses, as the reference does.
 */
function keepsLargeHeartbeats(readBack: (literal: string) => string): Divergence {
  const standIns = new Map<string, string>();
  return {
    request: (req) =>
      mapHeartbeat(req, (literal) => {
        if (Number.isSafeInteger(Number(literal)) || BigInt(literal) >= INT64_PAST) return literal;
        const standIn = String(1_000_000_007 + standIns.size);
        standIns.set(standIn, literal);
        return standIn;
      }),
    reply: (req, reply): HeldReply => {
      if (req.path !== '/v2/policy/list' || standIns.size === 0) return reply;
      const text = reply.body.toString('utf8').replace(/("input":)(\d+)/g, (whole, key: string, n: string) => {
        const literal = standIns.get(n);
        return literal === undefined ? whole : key + readBack(literal);
      });
      return { ...reply, body: Buffer.from(text) };
    },
  };
}

/** A boolean taken as an integer (Python: `isinstance(True, int)` holds), in heartbeat_time and job_filter.priority. */
function takesBooleansAsIntegers(): Divergence {
  return {
    request: (req) => {
      const body = WRITES.includes(req.path) ? jsonObject(req.body) : undefined;
      if (!body) return req;
      const filter = body.job_filter as Record<string, unknown> | null | undefined;
      const coerce = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);
      const next: Record<string, unknown> = { ...body, heartbeat_time: coerce(body.heartbeat_time) };
      if (filter && typeof filter === 'object') next.job_filter = { ...filter, priority: coerce(filter.priority) };
      return { ...req, body: Buffer.from(JSON.stringify(next)) };
    },
  };
}

/** Faults in what an integer field keeps; each a factory (some hold state per run). */
export const INTEGER_FAULTS: Record<string, () => Divergence> = {
  // A double: 9007199254740993 is kept (and listed) as 9007199254740992.
  heartbeat_kept_as_double: () => keepsLargeHeartbeats((literal) => JSON.stringify(Number(literal))),
  // Only update's column is an int32: what it is given past it is kept as its maximum.
  update_clamps_heartbeat_to_int32: () => ({
    request: (req) =>
      req.path === '/v2/policy/update'
        ? mapHeartbeat(req, (l) => (Number(l) > INT32_MAX && BigInt(l) < INT64_PAST ? String(INT32_MAX) : l))
        : req,
  }),
  booleans_taken_as_integers: takesBooleansAsIntegers,
};

/** A target that keeps every int64 exactly (a Go or Java server): allowed. */
export const INTEGER_VARIANTS: Record<string, () => Divergence> = {
  keeps_int64_exactly: () => keepsLargeHeartbeats((literal) => literal),
};
