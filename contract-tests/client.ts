import { renderCurl, TOKEN_AUTHORIZATION } from './report/curl.js';
import type { Agent as HttpsAgent } from 'node:https';
import { headerSecrets, headerVariable, secretMasker, TOKEN_VARIABLE } from './secret-mask.js';
import { httpsAgentFor, type TargetTls } from './target-tls.js';
import type { HttpMethod } from './spec.js';
import { probeLines, shownProbe, type AuthProbe } from './auth-probes.js';
import { sendRequest } from './send-request.js';

/**
 * How the request authenticates: the configured token, none at all, a wrong token, a non-bearer
 * scheme, or one of the probes of auth-probes.ts (an empty bearer, the scheme in lower case, the
 * token with something appended, two Authorization headers).
 */
export type AuthMode = 'token' | 'none' | 'wrong' | 'malformed' | AuthProbe;

export interface RequestSpec {
  operationId: string;
  method: HttpMethod;
  /** Concrete path, ids already encoded. */
  path: string;
  /** A value sent as JSON (unless `rawBody` is given). */
  json?: unknown;
  /** Exact bytes to send, for malformed bodies (bytes that are not UTF-8 as a Uint8Array). */
  rawBody?: string | Uint8Array;
  /** Defaults to application/json when there is a body. */
  contentType?: string;
  auth?: AuthMode;
}

/** One request and its answer as reports hold them: the token is masked everywhere. */
export interface Exchange {
  operationId: string;
  auth: AuthMode;
  request: {
    method: HttpMethod;
    url: string;
    path: string;
    headers: Record<string, string>;
    body?: string | undefined;
    /** The body sent was not UTF-8 (shown with U+FFFD where its bytes were invalid). */
    notUtf8?: boolean;
  };
  response: {
    /** 0 when no response came back (connection refused, reset, timeout before the headers). */
    status: number;
    /** Media type without parameters, lower case; '' when absent. */
    mediaType: string;
    contentTypeHeader: string;
    text: string;
    /** The parsed body when it is JSON, else undefined (parsed before masking, to judge what was sent). */
    json?: unknown;
    /** Why the answer is missing or incomplete (no response, timeout, body over the cap). */
    error?: string;
    /** No complete answer within the request timeout (headers or body): the target may have stopped answering. */
    timedOut?: boolean;
    /** The body's whole length in characters, when `text` is only its beginning (see keptExchange). */
    textLength?: number;
  };
  curl: string;
}

export interface ClientOptions {
  baseUrl: string;
  token: string;
  runId: string;
  /** Headers and body together, per request. */
  requestTimeoutMs: number;
  maxResponseBytes: number;
  /** Sent on every request (`--header`); their values are masked like the token. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** A CA to trust, or none checked, for an https target (then requests go through node:https). */
  tls?: TargetTls | undefined;
  onExchange?: (exchange: Exchange, timing: { started: Date; ms: number }) => void;
}

/** Talks HTTP to the target and records each exchange with a curl line that reproduces it. */
export class ApiClient {
  readonly baseUrl: string;
  /** Once aborted (the run's deadline), requests are not sent and in-flight ones are cancelled. */
  stop?: AbortSignal | undefined;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly agent: HttpsAgent | undefined;
  /** Masks the token and every extra header's value, in any spelling. */
  private readonly hide: (text: string) => string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.requestTimeoutMs;
    this.maxBytes = options.maxResponseBytes;
    this.agent = this.baseUrl.startsWith('https:') ? httpsAgentFor(options.tls) : undefined;
    this.hide = secretMasker([[options.token, TOKEN_VARIABLE], ...headerSecrets(options.headers)]);
  }

  async send(spec: RequestSpec): Promise<Exchange> {
    const auth = spec.auth ?? 'token';
    const extra = this.options.headers ?? {};
    const headers: Record<string, string> = { ...extra };
    const authorization = this.authorizationFor(auth);
    if (typeof authorization === 'string') headers.Authorization = authorization;
    let body: string | Uint8Array | undefined;
    if (spec.rawBody !== undefined) body = spec.rawBody;
    else if (spec.json !== undefined) body = JSON.stringify(spec.json);
    if (body !== undefined) headers['Content-Type'] = spec.contentType ?? 'application/json';
    const url = `${this.baseUrl}${spec.path}`;
    const shownAuth =
      auth === 'token'
        ? { Authorization: TOKEN_AUTHORIZATION }
        : isProbe(auth)
          ? shownProbe(auth, TOKEN_AUTHORIZATION, this.options.runId)
          : {};
    const shownExtra = Object.fromEntries(Object.keys(extra).map((name) => [name, headerVariable(name)]));
    const shown = { ...headers, ...shownExtra, ...shownAuth };
    const text = typeof body === 'string' || body === undefined ? body : new TextDecoder().decode(body);
    const request = {
      method: spec.method,
      url: this.mask(url),
      path: this.mask(spec.path),
      headers: shown,
      body: text === undefined ? undefined : this.mask(text),
      ...(typeof body === 'object' && !isUtf8(body) ? { notUtf8: true } : {}),
    };
    const started = new Date();
    const response = this.mask(await this.request(url, spec.method, headers, Array.isArray(authorization) ? authorization : [], body));
    const exchange: Exchange = { operationId: spec.operationId, auth, request, response, curl: renderCurl(request) };
    this.options.onExchange?.(exchange, { started, ms: Date.now() - started.getTime() });
    return exchange;
  }

  /**
   * node:http(s), not fetch: header lines exactly as given (fetch would join two Authorization
   * lines), a CA of the target's own, and a third of fetch's CPU per request (a whole run ~40 %
   * faster). Keep-alive through Node's agent, which heeds the server's idle timeout.
   */
  private async request(
    url: string,
    method: HttpMethod,
    headers: Record<string, string>,
    authorizations: string[],
    body: string | Uint8Array | undefined,
  ): Promise<Exchange['response']> {
    if (this.stop?.aborted)
      return { status: 0, mediaType: '', contentTypeHeader: '', text: '', error: 'not sent: the run was stopped (deadline)' };
    const lines = [...Object.entries(headers).flat(), ...authorizations.flatMap((a) => ['Authorization', a])];
    const limits = { timeoutMs: this.timeoutMs, maxBytes: this.maxBytes, stop: this.stop, agent: this.agent };
    const answer = await sendRequest(url, method, lines, body, limits);
    if ('error' in answer) {
      const { error, timedOut, status = 0, contentType = '' } = answer;
      const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
      return { status, mediaType, contentTypeHeader: contentType, text: '', error, ...(timedOut ? { timedOut } : {}) };
    }
    const text = new TextDecoder().decode(answer.bytes);
    const mediaType = (answer.contentType.split(';')[0] ?? '').trim().toLowerCase();
    return { status: answer.status, mediaType, contentTypeHeader: answer.contentType, text, json: parseJson(text) };
  }

  private mask<T>(value: T): T {
    const { hide } = this;
    if (typeof value === 'string') return hide(value) as T;
    const r = value as Exchange['response'];
    return {
      ...r,
      contentTypeHeader: hide(r.contentTypeHeader),
      text: hide(r.text),
      ...(r.error !== undefined ? { error: hide(r.error) } : {}),
    } as T;
  }

  private authorizationFor(auth: AuthMode): string | string[] | undefined {
    switch (auth) {
      case 'token':
        return `Bearer ${this.options.token}`;
      case 'wrong':
        return `Bearer contract-wrong-token-${this.options.runId}`;
      case 'malformed':
        return `Basic ${Buffer.from('contract:suite').toString('base64')}`;
      case 'none':
        return undefined;
      default: {
        const lines = probeLines(auth, `Bearer ${this.options.token}`, this.options.runId);
        return lines.length === 1 ? lines[0] : lines;
      }
    }
  }
}

/** Characters of a body kept once its exchange has been judged: more than any report shows (4 000). */
export const KEPT_TEXT_CHARS = 16_000;

/**
 * An exchange as the suite keeps it after judging it (in a failure, a model transcript): the
 * beginning of its body and the body's length, not the whole text nor its parsed JSON, so that
 * what the suite keeps of a target does not grow with the size of its answers.
 */
export function keptExchange(exchange: Exchange): Exchange {
  const { json: _parsed, ...response } = exchange.response;
  if (response.text.length > KEPT_TEXT_CHARS) {
    response.textLength = response.textLength ?? response.text.length;
    response.text = response.text.slice(0, KEPT_TEXT_CHARS);
  }
  return { ...exchange, response };
}

const isProbe = (auth: AuthMode): auth is AuthProbe => !['token', 'none', 'wrong', 'malformed'].includes(auth);

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A body's JSON, or undefined when it is empty or not JSON (the exchange keeps its text either way). */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
