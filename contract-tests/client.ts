import { renderCurl } from './curl.js';
import type { HttpMethod } from './spec.js';

/** How the request authenticates: the configured token, none at all, a wrong token, or a non-bearer scheme. */
export type AuthMode = 'token' | 'none' | 'wrong' | 'malformed';

export interface RequestSpec {
  operationId: string;
  method: HttpMethod;
  /** Concrete path, ids already encoded. */
  path: string;
  /** A value sent as JSON (unless `rawBody` is given). */
  json?: unknown;
  /** Exact bytes to send, for malformed bodies. */
  rawBody?: string;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  auth?: AuthMode;
}

export interface Exchange {
  operationId: string;
  auth: AuthMode;
  request: { method: HttpMethod; url: string; path: string; headers: Record<string, string>; body?: string | undefined };
  response: {
    /** 0 when no response came back (connection refused, reset, timeout). */
    status: number;
    /** Media type without parameters, lower case; '' when absent. */
    mediaType: string;
    contentTypeHeader: string;
    text: string;
    /** The parsed body when it is JSON, else undefined. */
    json?: unknown;
    error?: string;
  };
  curl: string;
}

const TIMEOUT_MS = 15_000;

export interface ClientOptions {
  baseUrl: string;
  token: string;
  runId: string;
  onExchange?: (exchange: Exchange) => void;
}

/** Talks HTTP to the target and records each exchange with a curl line that reproduces it. */
export class ApiClient {
  readonly baseUrl: string;
  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async send(spec: RequestSpec): Promise<Exchange> {
    const auth = spec.auth ?? 'token';
    const headers: Record<string, string> = {};
    const authorization = this.authorizationFor(auth);
    if (authorization !== undefined) headers.Authorization = authorization;
    let body: string | undefined;
    if (spec.rawBody !== undefined) body = spec.rawBody;
    else if (spec.json !== undefined) body = JSON.stringify(spec.json);
    if (body !== undefined) headers['Content-Type'] = spec.contentType ?? 'application/json';
    const url = `${this.baseUrl}${spec.path}`;
    const request = { method: spec.method, url, path: spec.path, headers, body };
    const curl = renderCurl(request);
    let response: Exchange['response'];
    try {
      const res = await fetch(url, {
        method: spec.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      const contentTypeHeader = res.headers.get('content-type') ?? '';
      const mediaType = (contentTypeHeader.split(';')[0] ?? '').trim().toLowerCase();
      response = { status: res.status, mediaType, contentTypeHeader, text, json: parseJson(text) };
    } catch (error) {
      response = { status: 0, mediaType: '', contentTypeHeader: '', text: '', error: describeError(error) };
    }
    const exchange: Exchange = { operationId: spec.operationId, auth, request, response, curl };
    this.options.onExchange?.(exchange);
    return exchange;
  }

  private authorizationFor(auth: AuthMode): string | undefined {
    switch (auth) {
      case 'token':
        return `Bearer ${this.options.token}`;
      case 'wrong':
        return `Bearer contract-wrong-token-${this.options.runId}`;
      case 'malformed':
        return `Basic ${Buffer.from('contract:suite').toString('base64')}`;
      case 'none':
        return undefined;
    }
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
