import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileServer {
  url: string;
  /** Largest body it managed to write to one response. */
  maxBytesWritten(): number;
  close(): Promise<void>;
}

/** A loopback server answering every request with `answer`; closed with every connection it holds. */
export async function startHostileServer(
  answer: (req: IncomingMessage, res: ServerResponse, wrote: (n: number) => void) => void,
): Promise<HostileServer> {
  let max = 0;
  const server = createServer((req, res) => {
    req.resume();
    let written = 0;
    answer(req, res, (n) => (max = Math.max(max, (written += n))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    maxBytesWritten: () => max,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Streams `total` bytes, lazily (only as fast as the client reads), and stops when the client goes. */
export function streamHuge(total: number) {
  return (_req: IncomingMessage, res: ServerResponse, wrote: (n: number) => void) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        wrote(chunk.length);
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => (sent = total));
    pump();
  };
}

/** Sends the headers of a 200, then nothing, ever. */
export function stallAfterHeaders(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.flushHeaders();
}

/** Markup a hostile target puts in its answers, hoping a report pastes it into HTML as is. */
export const INJECTION = `</pre></dd><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><a href='javascript:1'>&amp;`;

/** Refuses every request with the injection in the body, the Content-Type parameters and a header. */
export const injecting = (_req: IncomingMessage, res: ServerResponse) => {
  res
    .writeHead(400, { 'Content-Type': `application/json; x="${INJECTION.replace(/"/g, "'")}"` })
    .end(JSON.stringify({ message: INJECTION, code: '400', details: INJECTION }));
};

/**
 * Refuses every request, echoing the Authorization header as PHP (`\/`), .NET (`\u002B`) and Go
 * (`\u0026`, `\u003c`) JSON encoders spell it, percent-encoded in a URL, and base64-encoded.
 */
export const echoingAuthorizationEscaped = (req: IncomingMessage, res: ServerResponse) => {
  const header = req.headers.authorization ?? '';
  const json = JSON.stringify(header);
  const details = [
    `"php":${json.replace(/\//g, '\\/')}`,
    `"dotnet":${json.replace(/[+&<>']/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)}`,
    `"go":${json.replace(/[&<>]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)}`,
    `"next":${JSON.stringify(`/login?auth=${encodeURIComponent(header)}`)}`,
    `"seen":${JSON.stringify(Buffer.from(`{"authorization":${json}}`).toString('base64'))}`,
  ];
  res.writeHead(400, { 'Content-Type': 'application/json' }).end(`{"message":"refused","code":"400","details":{${details.join(',')}}}`);
};

/** Answers every request with an empty JSON list, but only after `ms`: slow, never silent. */
export const answerAfter = (ms: number) => (_req: IncomingMessage, res: ServerResponse) => {
  const timer = setTimeout(() => res.writeHead(200, { 'Content-Type': 'application/json' }).end('[]'), ms);
  res.on('close', () => clearTimeout(timer));
};

/**
 * Answers a create (and everything else) with an empty 200, so that the suite looks for the new
 * policy in list, and list with about `bytes` of policies with ids never listed before, every time.
 */
export function listingNewIds(bytes: number) {
  let next = 0;
  return (req: IncomingMessage, res: ServerResponse) => {
    if (!req.url?.startsWith('/v2/policy/list')) return void res.writeHead(200).end();
    const entries: string[] = [];
    for (let size = 2; size < bytes; size += 48) entries.push(`{"id":"00000000-0000-4000-8000-${String(next++).padStart(12, '0')}"}`);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(`[${entries.join(',')}]`);
  };
}
