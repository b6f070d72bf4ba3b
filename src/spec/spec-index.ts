import type { operations } from './openapi-types.js';
import type { JsonObject, OpenApiDocument } from './openapi-document.js';

export type OperationId = keyof operations;

/** What the spec declares for one response status: its media type, or null for no content. */
export interface DeclaredResponse {
  description: string;
  mediaType: string | null;
}

export interface Operation {
  operationId: OperationId;
  method: string;
  /** The spec's path template (`/v2/policy/{policy_id}/pods`). */
  path: string;
  /** The same path in Express syntax (`/v2/policy/:policy_id/pods`). */
  expressPath: string;
  hasRequestBody: boolean;
  /** The media types its request body may have (lower case), empty without a body. */
  requestMediaTypes: string[];
  secured: boolean;
  responses: Map<number, DeclaredResponse>;
  matcher: RegExp;
  /** The path's parameters, in order (`policy_id`), and the same matcher with a group for each. */
  paramNames: string[];
  paramMatcher: RegExp;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/**
 * The spec's operations in a form the HTTP layer can ask questions of: which operation a
 * request is, which statuses and media types it may answer with. Built once at start-up.
 */
export class SpecIndex {
  readonly operations: Operation[] = [];

  constructor(document: OpenApiDocument) {
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of METHODS) {
        const op = item[method] as JsonObject | undefined;
        if (op) this.operations.push(toOperation(path, method, op));
      }
    }
  }

  find(method: string, path: string): Operation | undefined {
    const upper = method.toUpperCase();
    return this.operations.find((op) => op.method === upper && op.matcher.test(path));
  }

  /** Methods the spec declares at this path; empty when the path is not the spec's. */
  methodsAt(path: string): string[] {
    return this.operations.filter((op) => op.matcher.test(path)).map((op) => op.method);
  }

  /**
   * The declared status closest to what we would naturally answer: the operation's contract
   * wins over HTTP's finer distinctions (415 or 413 become 400; a malformed id becomes 404
   * where no 400 is declared). 401/403 are implied by `security` and always allowed.
   */
  closestDeclared(op: Operation, status: number): number {
    if (op.responses.has(status)) return status;
    if (op.secured && (status === 401 || status === 403)) return status;
    if (status >= 500) return op.responses.has(500) ? 500 : status;
    for (const candidate of [400, 404]) if (op.responses.has(candidate)) return candidate;
    // No client error is declared at all (sync-jobs): 400 is the least wrong answer.
    return 400;
  }
}

function toOperation(path: string, method: string, op: JsonObject): Operation {
  const responses = new Map<number, DeclaredResponse>();
  for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, JsonObject>)) {
    const content = response.content as Record<string, unknown> | undefined;
    responses.set(Number(status), {
      description: typeof response.description === 'string' ? response.description : '',
      mediaType: content ? (Object.keys(content)[0] ?? null) : null,
    });
  }
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  const pattern = escaped.replace(/\{[^}/]+\}/g, '[^/]+');
  return {
    operationId: op.operationId as OperationId,
    method: method.toUpperCase(),
    path,
    expressPath: path.replace(/\{([^}/]+)\}/g, ':$1'),
    hasRequestBody: op.requestBody !== undefined,
    requestMediaTypes: Object.keys(((op.requestBody as JsonObject | undefined)?.content ?? {}) as JsonObject).map((t) => t.toLowerCase()),
    secured: Array.isArray(op.security) && op.security.length > 0,
    responses,
    matcher: new RegExp(`^${pattern}/?$`),
    paramNames: [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!),
    paramMatcher: new RegExp(`^${escaped.replace(/\{[^}/]+\}/g, '([^/]+)')}/?$`),
  };
}
