import { REFERENCE_TOKEN } from '../run-against-reference.js';
import { headerValues, withHeader, type Divergence, type HeldRequest } from './fault-proxy.js';

const REAL = `Bearer ${REFERENCE_TOKEN}`;
/** Lets the request through as if it carried the token when `through` says so. */
const letThrough =
  (through: (lines: string[]) => boolean): Divergence['request'] =>
  (req: HeldRequest) =>
    through(headerValues(req, 'authorization')) ? withHeader(req, 'authorization', REAL) : req;

/** Faults of the token check that "no header" and "a wrong token" never show. */
export const AUTH_FAULTS = {
  // `const token = header.slice(7); if (token && token !== expected) refuse`: no token, no check.
  empty_bearer_accepted: { request: letThrough(([a]) => a !== undefined && a.trim() === 'Bearer') },
  // `if (scheme === 'Bearer' && token !== expected) refuse`: another spelling of the scheme skips the check.
  lowercase_scheme_skips_check: { request: letThrough(([a]) => a?.startsWith('bearer ') === true) },
  // `header.startsWith('Bearer ' + expected)`: a prefix comparison.
  token_prefix_accepted: { request: letThrough(([a]) => a?.startsWith(REAL) === true) },
  // The last Authorization line wins (or any that matches).
  any_authorization_line: { request: letThrough((lines) => lines.length > 1 && lines.includes(REAL)) },
} satisfies Record<string, Divergence>;

/** Differences the contract allows: `bearer <token>` taken as `Bearer <token>` (RFC 9110: schemes are case-insensitive). */
export const AUTH_VARIANTS = {
  lowercase_scheme_accepted: { request: letThrough(([a]) => a === `bearer ${REFERENCE_TOKEN}`) },
} satisfies Record<string, Divergence>;
