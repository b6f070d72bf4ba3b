import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawAnswer {
  status: number;
  contentType: string;
  bytes: Buffer;
}

/**
 * One request with its header lines exactly as given (a name may repeat: fetch would join two
 * Authorization lines into one). Bounded like the client: a timeout, a stop signal, a size cap.
 */
export function sendRawHeaders(
  url: string,
  method: string,
  headerLines: string[],
  body: string | Uint8Array | undefined,
  limits: { timeoutMs: number; maxBytes: number; stop?: AbortSignal | undefined },
): Promise<RawAnswer | { error: string }> {
  const signal = limits.stop
    ? AbortSignal.any([AbortSignal.timeout(limits.timeoutMs), limits.stop])
    : AbortSignal.timeout(limits.timeoutMs);
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  // Header lines given as an array get no Host or Content-Length of their own.
  const lines = [...headerLines, 'Host', new URL(url).host];
  if (body !== undefined) lines.push('Content-Length', String(Buffer.byteLength(body)));
  return new Promise((resolve) => {
    const req = send(url, { method, headers: lines, signal }, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.maxBytes) {
          res.destroy();
          resolve({ error: `body exceeded ${limits.maxBytes} bytes (the response size cap); the suite stopped reading it` });
        } else chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', bytes: Buffer.concat(chunks) }),
      );
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(body);
  });
}
