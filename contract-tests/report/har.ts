import type { Exchange } from '../client.js';

/** One exchange with when it started and how long it took. */
export interface HarRecord {
  exchange: Exchange;
  started: Date;
  ms: number;
}

/**
 * The latest `maxEntries` exchanges, each body cut to `bodyChars` characters: what a HAR file of a
 * run or an observation holds, bounded however long it lasts (a run's end is where it stopped).
 */
export class HarLog {
  private readonly ring: HarRecord[] = [];
  private next = 0;
  /** Earlier exchanges no longer kept. */
  omitted = 0;
  /** Bodies cut to `bodyChars`. */
  cutBodies = 0;

  constructor(
    readonly maxEntries: number,
    readonly bodyChars: number,
  ) {}

  add(record: HarRecord): void {
    if (this.maxEntries === 0) return void this.omitted++;
    const { request, response } = record.exchange;
    const cut = (text: string) => {
      if (text.length <= this.bodyChars) return text;
      this.cutBodies++;
      return `${text.slice(0, this.bodyChars)}… (${text.length} chars)`;
    };
    const exchange: Exchange = {
      ...record.exchange,
      request: { ...request, ...(request.body !== undefined ? { body: cut(request.body) } : {}) },
      response: { ...response, text: cut(response.text), json: undefined },
    };
    if (this.ring.length < this.maxEntries) this.ring.push({ ...record, exchange });
    else {
      this.ring[this.next] = { ...record, exchange };
      this.next = (this.next + 1) % this.maxEntries;
      this.omitted++;
    }
  }

  records(): HarRecord[] {
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}

/** HAR 1.2 of the exchanges kept (the latest ones), every secret already masked; `comment` says what was left out. */
export function renderHar(log: HarLog, creator: string, note?: string): string {
  const records = log.records();
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
  const comment = [
    note,
    log.omitted > 0 ? `the latest ${records.length} exchanges; ${log.omitted} earlier ones not kept` : `${records.length} exchanges`,
    `bodies cut to ${log.bodyChars} characters${log.cutBodies > 0 ? ` (${log.cutBodies} cut)` : ''}`,
    'secrets masked',
  ]
    .filter(Boolean)
    .join('; ');
  return `${JSON.stringify({ log: { version: '1.2', creator: { name: creator, version: '1' }, comment, entries } }, null, 2)}\n`;
}
