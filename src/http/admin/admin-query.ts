import type { RequestHandler } from 'express';
import { ApiError, type ProblemDetail } from '../errors/api-error.js';

/** A query parameter's rule: the problem with its value, or undefined. */
export type QueryRule = (value: string) => string | undefined;
/** The query parameters an admin route takes; any other is refused. */
export type AdminQuery = Readonly<Record<string, QueryRule>>;

export const wholeNumber: QueryRule = (value) =>
  /^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? undefined : 'must be a whole number ≥ 0';
/** `?all=true`: every store's entries, not only the addressed one's. */
export const trueOrFalse: QueryRule = (value) => (value === 'true' || value === 'false' ? undefined : 'must be true or false');
export const nonEmpty: QueryRule = (value) => (value === '' ? 'must not be empty' : undefined);

/**
 * Checks an admin route's query as a body is checked: every parameter known, given once, valid;
 * else a 400 naming each problem, before the route does anything. A repeated `?name=` (an array)
 * or a misspelt one must not turn "drop this session" into "drop them all".
 */
export function checkQuery(rules: AdminQuery): RequestHandler {
  const known = Object.keys(rules);
  return (req, _res, next) => {
    const problems: ProblemDetail[] = [];
    for (const [name, value] of Object.entries(req.query)) {
      const rule = Object.hasOwn(rules, name) ? rules[name] : undefined;
      const problem = !rule
        ? `is not a parameter of this route${known.length > 0 ? ` (${known.join(', ')})` : ''}`
        : typeof value !== 'string'
          ? 'must be given once'
          : rule(value);
      if (problem) problems.push({ path: `/query/${name}`, message: problem });
    }
    if (problems.length === 0) return next();
    next(
      new ApiError(400, `${problems.map((p) => `${p.path.slice('/query/'.length)} ${p.message}`).join('; ')}; nothing was done`, problems),
    );
  };
}
