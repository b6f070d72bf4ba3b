import { ApiError, ControlError } from '../errors/api-error.js';
import type { Control, Exchange } from '../pipeline/outcome.js';
import { declaredOutcome } from './declared-outcome.js';
import { parsePrefer } from './prefer.js';

export interface FailRates {
  /** Share of every operation's requests that fail, 0 to 1. */
  all?: number;
  /** Per operationId, overriding `all`. */
  byOperation?: Record<string, number>;
}

/**
 * `Prefer: code=NNN` answers with that declared response instead of the operation; a read's 200
 * is the real answer (it changes nothing, and is valid by construction). `code=401` on a secured
 * operation is the mock's own refusal of a token (a "session expired" screen). Any other
 * undeclared code is a 400.
 */
export function preferCode(): Control {
  return (next) => async (exchange) => {
    const { op, req } = exchange;
    const { code } = parsePrefer(req.get('prefer'));
    if (code === undefined) return next(exchange);
    if (code === 401 && op.secured) throw new ApiError(401, 'Bearer token is not valid (Prefer code=401)');
    if (!op.responses.has(code)) {
      const declared = [...op.responses.keys()].join(', ');
      const auth = op.secured ? ' (or 401: a refused token)' : '';
      throw new ControlError(400, `Prefer code=${code} is not declared for ${op.operationId}; declared: ${declared}${auth}`, [
        { path: '/headers/prefer', message: `code must be one of ${declared}${auth}` },
      ]);
    }
    if (code < 300 && req.method === 'GET') {
      const outcome = await next(exchange);
      return outcome && { ...outcome, problem: `Prefer code=${code}` };
    }
    return declaredOutcome(op, code, `Prefer code=${code}`);
  };
}

/** `--fail-rate`: a share of requests answered with the declared 500, without running the operation. */
export function injectedFaults(current: (exchange: Exchange) => FailRates, random: () => number): Control {
  return (next) => (exchange) => {
    const { op } = exchange;
    const rates = current(exchange);
    const rate = rates.byOperation?.[op.operationId] ?? rates.all ?? 0;
    if (rate > 0 && op.responses.has(500) && random() < rate)
      return Promise.resolve(declaredOutcome(op, 500, `injected fault (--fail-rate ${rate})`));
    return next(exchange);
  };
}
