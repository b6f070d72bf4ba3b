import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { listOperations, loadSpec } from '../spec.js';
import { createRoute } from './reference/create-route.js';
import { deleteRoute } from './reference/delete-route.js';
import type { Fault, Variant } from './reference/faults.js';
import { jobStatusRoute } from './reference/job-status-route.js';
import { jobsRoute } from './reference/jobs-route.js';
import { listRoute } from './reference/list-route.js';
import { podsRoute } from './reference/pods-route.js';
import { HttpError, ReferenceState, type Reply } from './reference/reference-state.js';
import { syncJobsRoute } from './reference/sync-jobs-route.js';
import { updateRoute } from './reference/update-route.js';

export type { Fault, Variant } from './reference/faults.js';

// A small, correct Policy API to judge the suite against, one fault at a time. The routes live in
// reference/, one file per operation, each asking `state.has(fault)` for its own faults; a new
// fault is a name in reference/faults.ts and a branch in the one route it breaks.

export interface ReferenceServerOptions {
  /** One fault, or several independent ones (the model-based phase reports each, in one run). */
  fault?: Fault | readonly Fault[] | undefined;
  /** An allowed difference (the review's false-alarm probes). */
  variant?: Variant | undefined;
  /** The only bearer token accepted (any non-empty one when unset). */
  token?: string | undefined;
  /** A teammate shares the server: their policy appears right after the suite's first create. */
  teammate?: boolean | undefined;
  /** Listen on this port (default: a free one). */
  port?: number | undefined;
  /** Serve https with this key and certificate (a staging server with its own CA). */
  tls?: { key: Buffer; cert: Buffer } | undefined;
  /** Sees each request as it arrives (to check what the suite sent). */
  onRequest?: ((req: IncomingMessage) => void) | undefined;
}

export interface ReferenceServer {
  url: string;
  /** Ids of the policies it holds now (to prove the suite cleans up). */
  policyIds(): string[];
  close(): Promise<void>;
}

/** The method of each fixed path, from the spec (405 for another method, 404 for another path). */
const METHODS: Record<string, string> = Object.fromEntries(
  listOperations(loadSpec())
    .filter((op) => op.pathParameters.length === 0)
    .map((op) => [op.path, op.method]),
);
const REASONS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  500: 'INTERNAL_SERVER_ERROR',
};
const READS = { pods: podsRoute, jobs: jobsRoute, 'job-status': jobStatusRoute } as const;

/** The operation a path and method name, and its answer. */
function route(s: ReferenceState, path: string, method: string, body: () => unknown): Reply {
  const read = /^\/v2\/policy\/([^/]+)\/(pods|jobs|job-status)$/.exec(path);
  if (read) {
    if (method !== 'GET') throw new HttpError(405, 'method not allowed');
    return READS[read[2] as keyof typeof READS](s, safeDecode(read[1] ?? ''));
  }
  const allowed = METHODS[path];
  if (!allowed) throw new HttpError(404, `no route ${path}`);
  if (method !== allowed) throw new HttpError(405, 'method not allowed');
  const now = s.stamp(new Date());
  switch (path) {
    case '/v2/policy/list':
      return listRoute(s);
    case '/v2/policy/sync-jobs':
      return syncJobsRoute(s, now);
    case '/v2/policy/create':
      return createRoute(s, body, now);
    case '/v2/policy/update':
      return updateRoute(s, body, now);
    default:
      return deleteRoute(s, body);
  }
}

/** A small, correct, in-memory Policy API (node:http only), with an optional fault. */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const state = new ReferenceState(options.fault, options.variant, options.teammate === true);
  const has = (f: Fault) => state.has(f);

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    options.onRequest?.(req);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => respond(req, res, utf8(Buffer.concat(chunks))));
  };
  const server = options.tls ? createHttpsServer(options.tls, handle) : createServer(handle);

  /** The body as text: undefined when it is not UTF-8 (RFC 8259 §8.1). */
  function respond(req: IncomingMessage, res: ServerResponse, text: string | undefined): void {
    let reply: Reply;
    try {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer (\S+)$/.exec(auth)?.[1];
      const tokenOk = token !== undefined && (options.token === undefined || has('any_token_accepted') || token === options.token);
      const url = new URL(req.url ?? '/', 'http://reference');
      // The api_key_operations_unauthenticated fault: only the operations secured by `Token` check it.
      const apiKeyOp = /^\/v2\/policy\/(sync-jobs|[^/]+\/(jobs|job-status))$/.test(url.pathname);
      const skipAuth = has('auth_ignored') || (has('api_key_operations_unauthenticated') && apiKeyOp);
      if (!tokenOk && !skipAuth) {
        const wrongToken = token !== undefined && state.variant('forbidden_for_wrong_token');
        throw new HttpError(wrongToken ? 403 : 401, 'missing or invalid bearer token');
      }
      const body = () => {
        const header = req.headers['content-type'] ?? '';
        const mediaType = has('rejects_json_charset') ? header : header.split(';')[0]?.trim().toLowerCase();
        if (mediaType !== 'application/json' && !(has('accepts_text_plain_body') && mediaType === 'text/plain')) {
          throw new HttpError(400, 'Content-Type must be application/json');
        }
        if (text === undefined) throw new HttpError(400, 'the body is not UTF-8');
        try {
          return JSON.parse(text) as unknown;
        } catch {
          if (has('crash_on_bad_json')) throw new HttpError(500, 'Unexpected token');
          throw new HttpError(400, 'malformed JSON');
        }
      };
      reply = route(state, url.pathname, req.method ?? 'GET', body);
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, String(error));
      if (e.bare) reply = { status: e.status };
      else if (has('errors_as_text_plain')) reply = { status: e.status, text: e.message };
      else {
        const code = has('error_code_not_status') ? (REASONS[e.status] ?? 'ERROR') : String(e.status);
        reply = { status: e.status, json: { message: e.message, code, details: null } };
      }
    }
    if (reply.json !== undefined) {
      const jsonType = state.variant('json_charset') ? 'application/json; charset=utf-8' : 'application/json';
      res.writeHead(reply.status, { 'Content-Type': jsonType }).end(JSON.stringify(reply.json));
    } else if (reply.text !== undefined) {
      res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8' }).end(reply.text);
    } else {
      res.writeHead(reply.status).end();
    }
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    policyIds: () => state.live().map((p) => p.id),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
