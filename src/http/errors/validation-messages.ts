import type { ProblemDetail } from './api-error.js';

/** An issue as express-openapi-validator reports it. */
export interface ValidatorIssue {
  path?: string;
  message?: string;
  errorCode?: string;
}

/** Noise from OpenAPI 3.1's nullable pattern `oneOf: [{type: null}, {$ref}]`: each branch reports. */
const ONE_OF_NOISE = new Set(['must be null', 'must match exactly one schema in oneOf']);

/** Problems named in the one-line message; `details` lists more (see ERROR_LIMITS). */
const MESSAGE_PROBLEMS = 10;

const REWRITES: Array<[RegExp, string]> = [
  [/^must be equal to one of the allowed values:?\s*(.*)$/, 'must be one of $1'],
  [/^must have required property '.*'$/, 'is required'],
  [/^must match format "uuid"$/, 'must be a UUID'],
  [/^must match format "int32"$/, 'must be an int32 (-2147483648 to 2147483647)'],
  [/^must match format "int64"$/, 'must be an int64'],
  [/^must match format "date-time"$/, 'must be an RFC 3339 date-time'],
  [/^must NOT have additional properties$/, 'is not allowed'],
];

/**
 * Collapses the validator's issues into one readable problem per field:
 * "resource must be one of pods, namespace, jobs" rather than three lines of oneOf noise.
 */
export function describeValidationErrors(
  issues: readonly ValidatorIssue[],
  fallback: string,
): { message: string; details: ProblemDetail[] } {
  const raw = issues.map((i) => ({ path: i.path ?? '', message: i.message ?? '' }));
  // By field, so the message reads the same whatever order the validator found the problems in.
  const details = dedupe(raw.filter((issue) => !isOneOfNoise(issue, raw)).map(rewrite)).sort((a, b) => byPointer(a.path, b.path));
  if (details.length === 0) return { message: fallback, details: [] };
  const shown = details.slice(0, MESSAGE_PROBLEMS).map((d) => `${fieldName(d.path)}${d.message}`);
  if (details.length > MESSAGE_PROBLEMS) shown.push(`and ${details.length - MESSAGE_PROBLEMS} more problems`);
  return { message: shown.join('; '), details };
}

/** Document order: `/a/2` before `/a/10` (items by index), `/a` before `/a/0`; other segments as text. */
function byPointer(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [p, q] = [x[i]!, y[i]!];
    if (p === q) continue;
    if (/^\d+$/.test(p) && /^\d+$/.test(q)) return Number(p) - Number(q);
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** Noise, unless it is all there is to say about that field. */
function isOneOfNoise(issue: ProblemDetail, all: readonly ProblemDetail[]): boolean {
  if (!ONE_OF_NOISE.has(issue.message)) return false;
  return all.some((other) => !ONE_OF_NOISE.has(other.message) && (other.path === issue.path || other.path.startsWith(`${issue.path}/`)));
}

function rewrite(issue: ProblemDetail): ProblemDetail {
  for (const [pattern, replacement] of REWRITES) {
    if (pattern.test(issue.message)) return { ...issue, message: issue.message.replace(pattern, replacement) };
  }
  return issue;
}

/**
 * `/body/job_filter/priority` reads as `job_filter.priority`, `/response/0/id` as `response[0].id`;
 * a route path is no field at all.
 */
function fieldName(pointer: string): string {
  const match = /^\/(body|params|path|query|headers|response)(\/.*)?$/.exec(pointer);
  if (!match) return '';
  const parts = (match[2] ?? '').split('/').slice(1);
  if (match[1] === 'response') parts.unshift('response');
  const field = parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
  return field ? `${field} ` : 'body ';
}

/** The first problem of each field is the one to fix (a wrong type makes its format moot). */
function dedupe(details: ProblemDetail[]): ProblemDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => !seen.has(d.path) && seen.add(d.path));
}
