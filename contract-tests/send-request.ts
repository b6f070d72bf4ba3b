import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';

export interface RawAnswer {
  status: number;
  contentType: string;
  bytes: Buffer;
}

/**
 * One request of the suite, with its header lines exactly as given (a name may repeat), through
 * Node's keep-alive agent or an https agent that trusts the target's own CA. Bounded: a timeout,
 * a stop signal, a size cap.
 */
export function sendRequest(
  url: string,
  method: string,
  headerLines: string[],
  body: string | Uint8Array | undefined,
  limits: { timeoutMs: number; maxBytes: number; stop?: AbortSignal | undefined; agent?: HttpsAgent | undefined },
): Promise<RawAnswer | { error: string; timedOut?: boolean; status?: number; contentType?: string }> {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.stop ? AbortSignal.any([timeout, limits.stop]) : timeout;
  const tls = url.startsWith('https:');
  const send = tls ? httpsRequest : httpRequest;
  // Said as the fetch route says it, so that a silent target is recognised whichever route asked.
  const failed = (error: Error) =>
    timeout.aborted
      ? { error: `no complete answer within ${limits.timeoutMs / 1000} s (the request timeout)`, timedOut: true }
      : limits.stop?.aborted
        ? { error: 'cancelled: the run was stopped (deadline)' }
        : { error: error.message };
  // Header lines given as an array get no Host or Content-Length of their own.
  const lines = [...headerLines, 'Host', new URL(url).host];
  if (body !== undefined) lines.push('Content-Length', String(Buffer.byteLength(body)));
  return new Promise((resolve) => {
    const agent = tls && limits.agent ? { agent: limits.agent } : {};
    let answered: IncomingMessage | undefined;
    // Cut off after the headers (a stalled body): the status is known, the answer incomplete.
    const cutOff = (res: IncomingMessage, error: Error) => ({
      status: res.statusCode ?? 0,
      contentType: res.headers['content-type'] ?? '',
      ...failed(error),
    });
    const req = send(url, { method, headers: lines, signal, ...agent }, (res) => {
      answered = res;
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.maxBytes) {
          res.destroy();
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? '',
            error: `body exceeded ${limits.maxBytes} bytes (the response size cap); the suite stopped reading it`,
          });
        } else chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? '', bytes: Buffer.concat(chunks) }),
      );
      res.on('error', (error) => resolve(cutOff(res, error)));
    });
    req.on('error', (error) => resolve(answered ? cutOff(answered, error) : failed(error)));
    req.end(body);
  });
}
