import type { components } from '../spec/openapi-types.js';
import { clip } from './printable.js';

export type ApiErrorBody = components['schemas']['ApiError'];

/** One problem with a request: where (a JSON pointer into the request) and what. */
export interface ProblemDetail {
  path: string;
  message: string;
}

/**
 * What one error says at most: a body of 250,000 bad items must not get a 25 MB answer (nor a
 * journal entry of that size). The first problems are the ones to fix; the rest are counted.
 */
export const ERROR_LIMITS = { message: 1000, details: 50, detailText: 300 };

/** An error that knows its HTTP status; it becomes the spec's ApiError body. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly details: ProblemDetail[];

  constructor(
    readonly status: number,
    message: string,
    details: ProblemDetail[] = [],
    readonly headers: Record<string, string> = {},
    cause?: unknown,
  ) {
    super(clip(message, ERROR_LIMITS.message), cause === undefined ? undefined : { cause });
    this.details = boundedDetails(details);
  }

  toBody(status = this.status): ApiErrorBody {
    return { message: this.message, code: String(status), details: this.details };
  }
}

export const badRequest = (message: string, details?: ProblemDetail[]) => new ApiError(400, message, details);
export const notFound = (message: string) => new ApiError(404, message);

/**
 * A refusal by the mock's own controls (a bad `Prefer`, a bad or one-too-many `X-Mock-Session`),
 * not by the API: it keeps its status even where the operation does not declare it, since only
 * clients of the mock's extensions can get it.
 */
export class ControlError extends ApiError {
  override name = 'ControlError';
}

function boundedDetails(details: ProblemDetail[]): ProblemDetail[] {
  const max = ERROR_LIMITS.details;
  const kept = details.length <= max ? details : details.slice(0, max - 1);
  const bounded = kept.map((d) => ({ path: clip(d.path, ERROR_LIMITS.detailText), message: clip(d.message, ERROR_LIMITS.detailText) }));
  if (details.length > max) bounded.push({ path: '/', message: `and ${details.length - kept.length} more problems` });
  return bounded;
}
