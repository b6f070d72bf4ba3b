import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from '../reference-server.js';

/** A request as the proxy holds it: header lines as sent (a name may repeat), the body's bytes. */
export interface HeldRequest {
  method: string;
  path: string;
  headerLines: string[];
  body: Buffer;
}

export interface HeldReply {
  status: number;
  contentType?: string | undefined;
  body: Buffer;
}

/**
 * What a server in front of the reference server does differently: it may rewrite a request before
 * the reference sees it, answer it itself, or rewrite the reference's answer. Everything it leaves
 * alone is the reference server's (correct) behaviour.
 */
export interface Divergence {
  request?(req: HeldRequest): HeldRequest | HeldReply;
  reply?(req: HeldRequest, reply: HeldReply): HeldReply;
}

/** The reference server behind `divergence`: one fault (or one allowed difference) and nothing else. */
export async function startDivergentServer(divergence: Divergence, options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const reference = await startReferenceServer(options);
  const server = createServer((req, res) => {
    void hold(req).then(async (held) => {
      const changed = divergence.request ? divergence.request(held) : held;
      const reply = 'status' in changed ? changed : await forward(reference.url, changed);
      const sent = divergence.reply ? divergence.reply('status' in changed ? held : changed, reply) : reply;
      res.writeHead(sent.status, sent.contentType ? { 'Content-Type': sent.contentType } : {}).end(sent.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    policyIds: () => reference.policyIds(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await reference.close();
    },
  };
}

async function hold(req: IncomingMessage): Promise<HeldRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return { method: req.method ?? 'GET', path: req.url ?? '/', headerLines: req.rawHeaders, body: Buffer.concat(chunks) };
}

function forward(base: string, held: HeldRequest): Promise<HeldReply> {
  const lines: string[] = [];
  for (let i = 0; i + 1 < held.headerLines.length; i += 2) {
    const name = held.headerLines[i] ?? '';
    if (!['host', 'content-length', 'connection', 'transfer-encoding'].includes(name.toLowerCase()))
      lines.push(name, held.headerLines[i + 1] ?? '');
  }
  // Header lines given as an array get no Host of their own.
  lines.push('Host', new URL(base).host);
  if (held.body.length > 0) lines.push('Content-Length', String(held.body.length));
  return new Promise((resolve, reject) => {
    const req = request(`${base}${held.path}`, { method: held.method, headers: lines }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 500, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end(held.body.length > 0 ? held.body : undefined);
  });
}

/** The values of a header, every line of it. */
export function headerValues(req: HeldRequest, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < req.headerLines.length; i += 2)
    if (req.headerLines[i]?.toLowerCase() === name) out.push(req.headerLines[i + 1] ?? '');
  return out;
}

/** The request with `name` set to one line, `value`. */
export function withHeader(req: HeldRequest, name: string, value: string): HeldRequest {
  const lines: string[] = [];
  for (let i = 0; i + 1 < req.headerLines.length; i += 2) {
    if (req.headerLines[i]?.toLowerCase() !== name) lines.push(req.headerLines[i] ?? '', req.headerLines[i + 1] ?? '');
  }
  return { ...req, headerLines: [...lines, name, value] };
}

/** A JSON object body, or undefined when the body is not one. */
export function jsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export const apiError = (status: number, message: string): HeldReply => ({
  status,
  contentType: 'application/json',
  body: Buffer.from(JSON.stringify({ message, code: String(status), details: null })),
});
