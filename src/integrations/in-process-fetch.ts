import { EventEmitter } from 'node:events';
import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import type { Express } from 'express';

/**
 * A fetch answered by the Express app itself, in this process, without a port or a connection:
 * the request becomes a synthetic IncomingMessage, the answer is collected from a ServerResponse
 * (light-my-request's idea). Same pipeline, validation, store, sessions and controls as the server.
 */
export function inProcessFetch(app: Express): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    const socket = new PeerlessSocket() as unknown as Socket;
    const req = new IncomingMessage(socket);
    req.method = request.method;
    req.url = `${url.pathname}${url.search}`;
    req.httpVersion = '1.1';
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    const headers: IncomingHttpHeaders = { host: url.host };
    request.headers.forEach((value, name) => (headers[name] = value));
    if (body !== undefined) headers['content-length'] = String(body.length);
    req.headers = headers;
    req.rawHeaders = Object.entries(headers).flatMap(([name, value]) => [name, String(value)]);
    if (body !== undefined && body.length > 0) req.push(body);
    req.push(null);
    req.complete = true;

    const res = new ServerResponse(req);
    // Headers and body go to a sink; the body is kept as written, before any chunked framing.
    res.assignSocket(sink() as unknown as Socket);
    const chunks: Buffer[] = [];
    const write = res.write.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null) chunks.push(Buffer.from(chunk as string, rest[0] as BufferEncoding | undefined));
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    const answered = new Promise<Response>((resolve) => {
      res.once('finish', () => {
        const out = new Headers();
        for (const [name, value] of Object.entries(res.getHeaders())) {
          for (const one of Array.isArray(value) ? value : [value]) if (one !== undefined) out.append(name, String(one));
        }
        const empty = request.method === 'HEAD' || [204, 304].includes(res.statusCode);
        resolve(
          new Response(empty ? null : Buffer.concat(chunks), { status: res.statusCode, statusText: res.statusMessage, headers: out }),
        );
      });
    });
    // A client that gives up (an aborted fetch) hangs up, as over a socket: a delay stops waiting.
    request.signal.addEventListener('abort', () => res.destroy(), { once: true });
    const end = res.end.bind(res);
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && chunk !== null && typeof chunk !== 'function')
        chunks.push(Buffer.from(chunk as string, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined));
      const result = (end as (...args: unknown[]) => ServerResponse)(...(typeof chunk === 'function' ? [chunk] : []));
      return result;
    }) as typeof res.end;
    app(req, res);
    return answered;
  };
}

/**
 * What an IncomingMessage asks of its socket, with no connection behind it: a loopback peer, open
 * (readable: the body parser reads a request whose socket is closed as finished), the body pushed.
 */
class PeerlessSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly localAddress = '127.0.0.1';
  readonly encrypted = false;
  readonly readable = true;
  readonly writable = true;
  readonly destroyed = false;
  setTimeout(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  destroy(): this {
    return this;
  }
}

function sink(): Writable {
  const stream = new Writable({ write: (_chunk, _encoding, done) => done() });
  return Object.assign(stream, { remoteAddress: '127.0.0.1', setTimeout: () => stream, cork: () => {}, uncork: () => {} });
}
