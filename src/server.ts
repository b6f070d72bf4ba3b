import { createServer, STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import { createApp, mockLocals, type AppOptions } from './app.js';
import { connectMock, type MockClient } from './client/connect-mock.js';
import { appMessageClasses } from './http/app-message-classes.js';
import { loadSpec } from './spec/load-spec.js';
import { SpecIndex, type Operation } from './spec/spec-index.js';
import type { Store } from './store/store.js';

export interface ServerOptions extends AppOptions {
  /** 0 picks a free port (the default, for tests). */
  port?: number;
  /** Loopback unless told otherwise. */
  host?: string;
  /** Limits on slow clients; see DEFAULT_TIMEOUTS. */
  timeouts?: Partial<ServerTimeouts>;
}

/** How long the server waits for a client: a slow or stalled one must not hold a connection forever. */
export interface ServerTimeouts {
  /** For a request's headers, from its first byte (a slowloris client is cut off here). */
  headersMs: number;
  /** For a whole request, body included (not for the answer: `Prefer: delay` is the server's time). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** How often the two limits above are checked (Node's default is 30 s, far coarser than the limits). */
  checkIntervalMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = { headersMs: 10_000, requestMs: 60_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };

/** The mock on a port, and the typed admin client of it (reset, controls, session(name), …). */
export interface RunningServer extends MockClient {
  url: string;
  port: number;
  app: Express;
  store: Store;
  server: Server;
  /** Stops accepting, ends open connections, and flushes the store. */
  close(): Promise<void>;
}

/** createApp + listen: the mock on a real port. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.adminToken === undefined) {
    // /__admin can replace every byte of the store: never open it to a network unguarded.
    throw new Error(`refusing to listen on ${host} without an admin token (--admin-token): /__admin would be open to the network`);
  }
  const app = await createApp({ listenHost: host, ...options });
  const { store, sessions, simulation } = mockLocals(app);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const server = createServer(
    // requireHostHeader off: Node would answer a missing Host with a bare 400; the app answers it.
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
      requireHostHeader: false,
      ...appMessageClasses(app),
    },
    app,
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  const spec = new SpecIndex(loadSpec());
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, spec));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  return {
    ...connectMock(url, { adminToken: options.adminToken }),
    url,
    port,
    app,
    store,
    server,
    async close() {
      simulation?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
      // Every store ends by the one path that gives back what it held.
      sessions.close();
    },
  };
}

/**
 * Requests that Node's HTTP parser refuses (a malformed request line or header, headers over the
 * size limit) or that arrive too slowly never reach the app: answer them as the app answers every
 * error, with an ApiError, then close the connection (as Node's default handler does, with no body).
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, spec: SpecIndex): void {
  // Node's own test: no answer on a dead socket, or after an answer to this request has begun.
  const current = (socket as { _httpMessage?: (ServerResponse & { locals?: Record<string, unknown> }) | null })._httpMessage;
  const answering = current?.headersSent === true;
  if (error.code !== 'ECONNRESET' && socket.writable && !answering) {
    const [natural, message] =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request did not arrive in time; the connection is closed']
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'the request headers are larger than the server accepts']
          : [400, `malformed HTTP request (${error.code ?? error.message})`];
    // A body that arrives too slowly belongs to a request already routed: it gets the closest
    // status its operation declares (create declares 400, not 408).
    const op = current?.locals?.operation as Operation | undefined;
    const status = op ? spec.closestDeclared(op, natural) : natural;
    const bodyless = op?.responses.get(status)?.mediaType === null;
    const body = bodyless ? '' : JSON.stringify({ message, code: String(status), details: [] });
    const type = bodyless ? '' : 'Content-Type: application/json; charset=utf-8\r\n';
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
