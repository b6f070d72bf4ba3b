import type { ApiErrorBody } from '../http/admin/admin-api.js';

/** An admin call the mock refused (or could not answer): its status and the ApiError it sent. */
export class MockAdminError extends Error {
  override name = 'MockAdminError';

  constructor(
    readonly status: number,
    readonly apiError: ApiErrorBody,
    readonly route: string,
  ) {
    super(`${route} answered ${status}: ${apiError.message}`);
  }
}
