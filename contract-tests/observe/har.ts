import type { HarRecord } from './observation.js';

/** HAR 1.2 of the exchanges kept (the latest ones), every secret already masked. */
export function renderHar(records: readonly HarRecord[], omitted: number, creator: string): string {
  const entries = records.map(({ exchange, started, ms }) => {
    const { request, response } = exchange;
    const url = new URL(request.url);
    return {
      startedDateTime: started.toISOString(),
      time: ms,
      request: {
        method: request.method,
        url: request.url,
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: Object.entries(request.headers).map(([name, value]) => ({ name, value })),
        queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
        ...(request.body !== undefined ? { postData: { mimeType: request.headers['Content-Type'] ?? '', text: request.body } } : {}),
        headersSize: -1,
        bodySize: request.body === undefined ? 0 : Buffer.byteLength(request.body),
      },
      response: {
        status: response.status,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        cookies: [],
        headers: response.contentTypeHeader ? [{ name: 'Content-Type', value: response.contentTypeHeader }] : [],
        content: { size: Buffer.byteLength(response.text), mimeType: response.contentTypeHeader, text: response.text },
        redirectURL: '',
        headersSize: -1,
        bodySize: -1,
        ...(response.error !== undefined ? { _error: response.error } : {}),
      },
      cache: {},
      timings: { send: 0, wait: ms, receive: 0 },
      _operationId: exchange.operationId,
    };
  });
  const comment = omitted > 0 ? `the latest ${records.length} exchanges; ${omitted} earlier ones not kept` : undefined;
  return `${JSON.stringify({ log: { version: '1.2', creator: { name: creator, version: '1' }, ...(comment ? { comment } : {}), entries } }, null, 2)}\n`;
}
