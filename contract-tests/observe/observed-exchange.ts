import type { IncomingHttpHeaders } from 'node:http';
import { parseJson, type AuthMode, type Exchange } from '../client.js';
import { renderCurl, TOKEN_AUTHORIZATION } from '../report/curl.js';
import { maskSecret } from '../secret-mask.js';
import type { HttpMethod } from '../spec.js';

/** One request and its answer as the proxy saw them: bytes as read (each capped), before any masking. */
export interface RawExchange {
  method: string;
  /** Path and query as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The request body was longer than the cap: `body` is its start. */
  bodyCut: boolean;
  response?: { status: number; headers: IncomingHttpHeaders; body: Buffer; bodyCut: boolean } | undefined;
  /** Why the answer is missing or incomplete. */
  error?: string | undefined;
}

export interface ExchangeContext {
  /** The upstream's base URL: curl lines replay the request against it. */
  upstream: string;
  /** The token the client is expected to send, when configured. */
  token?: string | undefined;
  /** Other secrets (values of --header): masked wherever they appear. */
  secrets: readonly string[];
  maxBytes: number;
}

const header = (headers: IncomingHttpHeaders, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
};

/**
 * The suite's `Exchange` for what passed through, every secret masked: the configured token, the
 * credentials the client sent (whatever they are) and the extra headers' values.
 */
export function toExchange(
  raw: RawExchange,
  operationId: string,
  context: ExchangeContext,
): { exchange: Exchange; mask: (text: string) => string } {
  const authorization = header(raw.headers, 'authorization');
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const credentials = authorization.replace(/^\S+\s+/, '');
  const secrets = [context.token, bearer, authorization === '' ? undefined : credentials, ...context.secrets].filter(
    (s): s is string => s !== undefined && s.length >= 4,
  );
  const mask = (text: string) => secrets.reduce((out, secret) => maskSecret(out, secret), text);
  const status = raw.response?.status ?? 0;
  const auth = authMode(authorization, bearer, context.token, status);
  const headers: Record<string, string> = {};
  if (authorization !== '') headers.Authorization = bearer !== undefined ? TOKEN_AUTHORIZATION : mask(authorization);
  for (const [name, key] of [
    ['Content-Type', 'content-type'],
    ['Prefer', 'prefer'],
    ['X-Mock-Session', 'x-mock-session'],
  ] as const) {
    const value = header(raw.headers, key);
    if (value !== '') headers[name] = mask(value);
  }
  const url = mask(`${context.upstream.replace(/\/+$/, '')}${raw.url}`);
  const requestText = raw.body.length > 0 ? mask(raw.body.toString('utf8')) : undefined;
  const request = {
    method: raw.method.toUpperCase() as HttpMethod,
    url,
    path: mask(raw.url),
    headers,
    body: raw.bodyCut ? `${requestText ?? ''}… (cut at ${context.maxBytes} bytes)` : requestText,
  };
  const contentTypeHeader = raw.response ? mask(header(raw.response.headers, 'content-type')) : '';
  const text = raw.response && !raw.response.bodyCut ? raw.response.body.toString('utf8') : '';
  const error = raw.response?.bodyCut
    ? `body exceeded ${context.maxBytes} bytes (the response size cap); observe stopped reading it`
    : raw.error;
  const exchange: Exchange = {
    operationId,
    auth,
    request,
    response: {
      status,
      mediaType: (contentTypeHeader.split(';')[0] ?? '').trim().toLowerCase(),
      contentTypeHeader,
      text: mask(text),
      json: parseJson(text),
      ...(error !== undefined ? { error: mask(error) } : {}),
    },
    curl: renderCurl(request),
  };
  return { exchange, mask };
}

/**
 * How the request authenticated. Without a configured token, observe cannot tell a wrong bearer
 * from the right one: a bearer refused with 401/403 counts as wrong (a refusal the spec implies),
 * any other as the token.
 */
function authMode(authorization: string, bearer: string | undefined, token: string | undefined, status: number): AuthMode {
  if (authorization === '') return 'none';
  if (bearer === undefined) return 'malformed';
  if (token !== undefined) return bearer === token ? 'token' : 'wrong';
  return status === 401 || status === 403 ? 'wrong' : 'token';
}

/** The JSON a request carried, when it was complete JSON (else undefined). */
export function requestJson(raw: Pick<RawExchange, 'body' | 'bodyCut'>): unknown {
  return raw.bodyCut ? undefined : parseJson(raw.body.toString('utf8'));
}
