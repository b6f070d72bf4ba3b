import type { components } from '../../spec/openapi-types.js';
import { boundedDetails, clip, REFUSAL_LIMITS, type ProblemDetail } from '../../domain/refusal.js';

export type ApiErrorBody = components['schemas']['ApiError'];

export type { ProblemDetail } from '../../domain/refusal.js';

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
    super(clip(message, REFUSAL_LIMITS.message), cause === undefined ? undefined : { cause });
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
