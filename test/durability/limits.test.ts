// Limits that keep one bad client from holding the server: slow clients are cut off, and requests
// Node's HTTP parser refuses still get an ApiError. (The body size limit is tested with the other
// create errors, the session and journal bounds in test/http/admin/ and test/store/session-registry.test.ts.)
import { connect, type Socket } from 'node:net';
import { describe, expect, it, type TestContext } from 'vitest';
import { DEFAULT_TIMEOUTS, startServer, type RunningServer } from '../../src/server.js';

const FAST = { headersMs: 300, requestMs: 600, keepAliveMs: 5_000, checkIntervalMs: 50 };

async function server(ctx: TestContext, timeouts = FAST): Promise<RunningServer> {
  const running = await startServer({ port: 0, timeouts });
  ctx.onTestFinished(() => running.close());
  return running;
}

interface Conversation {
  socket: Socket;
  /** Resolves with everything the server sent, once it has closed the connection. */
  closed: Promise<{ text: string; afterMs: number }>;
}

function open(port: number): Conversation {
  const socket = connect({ host: '127.0.0.1', port });
  const started = Date.now();
  let text = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  const closed = new Promise<{ text: string; afterMs: number }>((resolve) =>
    socket.on('close', () => resolve({ text, afterMs: Date.now() - started })),
  );
  return { socket, closed };
}

/** Writes `chunk` every `everyMs` until the connection closes (or `maxChunks` are out). */
function trickle(socket: Socket, chunk: string, everyMs: number, maxChunks = 200): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || ++sent > maxChunks) return clearInterval(timer);
    socket.write(chunk);
  }, everyMs);
  socket.on('close', () => clearInterval(timer));
}

function apiError(text: string): { status: number; body: { message: string; code: string; details: unknown[] } } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  expect(text).toMatch(/\r\ncontent-type: application\/json/i);
  const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { message: string; code: string; details: unknown[] };
  expect(body.code).toBe(String(status));
  expect(body.message).toEqual(expect.any(String));
  expect(body.details).toEqual([]);
  return { status, body };
}

describe('slow clients', () => {
  it('has limits by default: 10 s for the headers, 60 s for the whole request, checked every second', async (ctx) => {
    const { server: http } = await server(ctx, DEFAULT_TIMEOUTS);
    expect(DEFAULT_TIMEOUTS).toMatchObject({ headersMs: 10_000, requestMs: 60_000, checkIntervalMs: 1_000 });
    expect(http.headersTimeout).toBe(10_000);
    expect(http.requestTimeout).toBe(60_000);
    expect(http.keepAliveTimeout).toBe(5_000);
  });

  it('cuts off a client that sends its headers a byte at a time (slowloris) with a 408 ApiError', async (ctx) => {
    const { port } = await server(ctx);
    const { socket, closed } = open(port);
    socket.write('GET /v2/policy/list HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\n');
    trickle(socket, 'X', 25);
    const { text, afterMs } = await closed;
    expect(apiError(text).status).toBe(408);
    expect(afterMs).toBeGreaterThanOrEqual(FAST.headersMs - 50);
    expect(afterMs).toBeLessThan(3_000);
  });

  it('cuts off a client that sends its body a byte at a time with the 400 create declares (not an undeclared 408)', async (ctx) => {
    const { port } = await server(ctx);
    const { socket, closed } = open(port);
    socket.write(
      'POST /v2/policy/create HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{',
    );
    trickle(socket, ' ', 25);
    const { text, afterMs } = await closed;
    const { status, body } = apiError(text);
    expect(status).toBe(400);
    expect(body.message).toMatch(/did not arrive in time/);
    expect(afterMs).toBeGreaterThanOrEqual(FAST.requestMs - 50);
    expect(afterMs).toBeLessThan(3_000);
  });

  it('keeps serving others while a slow client is being cut off', async (ctx) => {
    const running = await server(ctx);
    const slow = open(running.port);
    slow.socket.write('GET /v2/policy/list HTTP/1.1\r\nHost: localhost\r\n');
    trickle(slow.socket, 'X', 25);
    const res = await fetch(`${running.url}/v2/policy/list`, { headers: { Authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    await slow.closed;
  });
});

describe('requests that never reach the app', () => {
  it.for([
    { what: 'a malformed request line', request: 'FOO@ /v2/policy/list HTTP/1.1\r\nHost: localhost\r\n\r\n', status: 400 },
    {
      what: 'an invalid Content-Length',
      request: 'GET /v2/policy/list HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n',
      status: 400,
    },
    {
      what: 'headers over the size limit',
      request: `GET /v2/policy/list HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      status: 431,
    },
  ])('answers $what with $status ApiError and closes the connection', async ({ request, status }, ctx) => {
    const { port } = await server(ctx);
    const { socket, closed } = open(port);
    socket.write(request);
    const { text } = await closed;
    expect(apiError(text).status).toBe(status);
  });
});
