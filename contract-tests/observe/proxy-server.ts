import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tlsAgentOptions } from '../target-tls.js';
import { CappedBuffer } from './capped-buffer.js';
import type { Observation } from './observation.js';
import type { RawExchange } from './observed-exchange.js';

export interface ProxyOptions {
  upstream: string;
  host: string;
  /** 0 for a free port. */
  port: number;
  /** Sent upstream with every request (e.g. a gateway's key). */
  headers: Record<string, string>;
  /** PEM of the CA to trust for a TLS upstream. */
  ca?: string | Buffer | undefined;
  /** Trust any certificate of a TLS upstream. */
  insecure?: boolean | undefined;
  /** Headers and body of the upstream's answer together. */
  requestTimeoutMs: number;
  /** Bytes of one body judged at most (request or response); more is forwarded, not judged. */
  maxBytes: number;
  /** Client connections open at once at most: what the proxy holds is bounded by it, not by clients. */
  maxConnections: number;
  /** Replace an answer that breaks the contract with a 502 ApiError naming the violation. */
  enforce: boolean;
  observation: Observation;
}

export interface Proxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

// RFC 9110 §7.6.1: meaningful for one connection only, never forwarded.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.includes(name) && !named.includes(name)) out[name] = value;
  }
  return out;
}

function apiError(res: ServerResponse, message: string, details: unknown = null): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ message, code: '502', details });
  res.writeHead(502, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
}

/** A loopback reverse proxy that forwards every request unchanged and has each exchange judged as it passes. */
export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const base = new URL(options.upstream);
  const basePath = base.pathname.replace(/\/+$/, '');
  const tls = base.protocol === 'https:';
  const agent = tls
    ? new HttpsAgent({
        keepAlive: true,
        maxSockets: options.maxConnections,
        ...tlsAgentOptions({ ca: options.ca, insecure: options.insecure }),
      })
    : new HttpAgent({ keepAlive: true, maxSockets: options.maxConnections });
  const { observation } = options;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const session = req.headers['x-mock-session'];
    const pending = observation.begin(method, url, typeof session === 'string' ? session : '');
    const requestBody = new CappedBuffer(options.maxBytes);
    const raw: RawExchange = { method, url, headers: req.headers, body: Buffer.alloc(0), bodyCut: false };
    let done = false;
    let clientGone = false;
    const complete = (response: RawExchange['response'], error?: string) => {
      if (done) return [];
      done = true;
      clearTimeout(timer);
      return observation.complete(pending, { ...raw, body: requestBody.bytes(), bodyCut: requestBody.cut, response, error });
    };
    const upstreamReq = (tls ? httpsRequest : httpRequest)(new URL(`${basePath}${url}`, base), {
      method,
      agent,
      headers: { ...forwardable(req.headers), host: base.host, ...options.headers },
    });
    const fail = (why: string) => {
      upstreamReq.destroy();
      if (done) return;
      if (clientGone) {
        complete(undefined, 'the client went away before the answer');
        return;
      }
      observation.setupProblem(`the upstream ${options.upstream} gave no complete answer: ${why}`);
      complete(undefined, why);
      if (res.headersSent) res.destroy();
      else apiError(res, `observe: the upstream gave no complete answer (${why})`);
    };
    const timer = setTimeout(
      () => fail(`no complete answer within ${options.requestTimeoutMs / 1000} s (the request timeout)`),
      options.requestTimeoutMs,
    );
    res.on('close', () => {
      if (res.writableFinished) return;
      clientGone = true;
      upstreamReq.destroy();
    });
    req.on('data', (chunk: Buffer) => requestBody.add(chunk));
    req.pipe(upstreamReq);
    upstreamReq.on('error', (error) => fail(describeError(error)));
    upstreamReq.on('response', (upstreamRes) => {
      const status = upstreamRes.statusCode ?? 502;
      const headers = forwardable(upstreamRes.headers);
      const body = new CappedBuffer(options.maxBytes);
      if (!options.enforce) {
        res.writeHead(status, upstreamRes.statusMessage, headers);
        upstreamRes.pipe(res);
      }
      upstreamRes.on('data', (chunk: Buffer) => body.add(chunk));
      upstreamRes.on('error', (error) => fail(describeError(error)));
      upstreamRes.on('end', () => {
        const bytes = body.bytes();
        const failures = complete({ status, headers: upstreamRes.headers, body: bytes, bodyCut: body.cut });
        if (!options.enforce) return;
        if (failures.length > 0) {
          const first = failures[0];
          apiError(
            res,
            `observe --enforce: the upstream's answer breaks the contract: ${first?.rule} · ${first?.expected}`,
            failures.map((f) => ({ rule: f.rule, path: f.operationId, message: f.expected })),
          );
        } else if (body.cut)
          apiError(res, `observe --enforce: the upstream's answer is longer than ${options.maxBytes} bytes (the size cap)`);
        else res.writeHead(status, upstreamRes.statusMessage, headers).end(bytes);
      });
    });
  }

  const server = createServer(handle);
  server.maxConnections = options.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
