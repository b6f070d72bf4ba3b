import type { PolicyService } from '../domain/policy-service.js';
import type { Refusal } from '../domain/refusal.js';
import type { components, operations } from '../spec/openapi-types.js';
import type { OperationId } from '../spec/spec-index.js';

type Responses<Op extends OperationId> = operations[Op]['responses'];
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : never;

/**
 * The answers an operation may give, from the spec: for each declared status, its body's type, or
 * no body where none is declared. An undeclared status or a wrong shape fails the type check.
 */
export type Reply<Op extends OperationId> = {
  [S in keyof Responses<Op> & number]: [ContentOf<Responses<Op>[S]>] extends [never]
    ? { status: S; body?: undefined }
    : { status: S; body: ContentOf<Responses<Op>[S]> };
}[keyof Responses<Op> & number];

type RequestBody<Op extends OperationId> = operations[Op] extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : undefined;
type PathParams<Op extends OperationId> = operations[Op]['parameters'] extends { path: infer P } ? P : undefined;

/** What an operation gets: the service of the store the request addresses, and the validated input. */
export interface OperationInput<Op extends OperationId> {
  service: PolicyService;
  body: RequestBody<Op>;
  params: PathParams<Op>;
}

export type OperationModule<Op extends OperationId> = (input: OperationInput<Op>) => Promise<Reply<Op>> | Reply<Op>;

export type ApiErrorBody = components['schemas']['ApiError'];

/** A domain refusal as the spec's ApiError, with the status the operation chose. */
export function refusalBody(status: number, refusal: Refusal): ApiErrorBody {
  return { message: refusal.message, code: String(status), details: refusal.details };
}
