// autocannon, driven from this process, with exact latencies: autocannon's own histogram keeps
// whole milliseconds, too coarse for sub-millisecond answers, so every response time is kept here.
import { createRequire } from 'node:module';
import { percentile } from './processes.js';

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, string>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, string>) => void;
}

interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: AutocannonRequest[];
}

interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
}

// autocannon ships no types; this is the slice of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: AutocannonOptions) => AutocannonInstance;

export interface LoadSpec {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /**
   * Requests each connection sends in turn instead (e.g. a create, then the delete of what it
   * created); only the `measured` ones count in the figures.
   */
  sequence?: LoadStep[];
}

export interface LoadStep {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The body, made from the previous answer's text (the id a create answered). */
  bodyFrom?: (previous: string) => string;
  /** Headers, made from how many times this connection sent the sequence (a session name in rotation). */
  headersFrom?: (round: number) => Record<string, string>;
  measured?: boolean;
}

export interface Round {
  reqPerSec: number;
  /** Server CPU time per request, in µs (all its threads): less sensitive to a busy machine than req/s. */
  cpuUsPerReq?: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Requests of a sequence's unmeasured steps (their server CPU is in cpuUsPerReq). */
  otherRequests?: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export async function drive(baseUrl: string, load: LoadSpec, seconds: number, connections = 10): Promise<Round> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const sequence = load.sequence;
  const instance = autocannon({
    url: `${baseUrl}${load.path}`,
    connections,
    duration: seconds,
    method: load.method,
    headers: load.headers,
    ...(load.body === undefined ? {} : { body: load.body }),
    ...(sequence ? { requests: sequence.map(toAutocannon) } : {}),
  });
  // Which step of its sequence each connection is answered for (each sends its steps in turn).
  const sent = new Map<unknown, number>();
  let unmeasured = 0;
  instance.on('response', (client, _status, _bytes, responseTime) => {
    if (sequence) {
      const n = sent.get(client) ?? 0;
      sent.set(client, n + 1);
      if (!sequence[n % sequence.length]!.measured) return void unmeasured++;
    }
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await instance;
  const samples = latencies.subarray(0, count);
  // With a sequence, autocannon's totals hold every step: the measured ones are what `count` saw.
  const requests = sequence ? count : result.requests.total;
  return {
    reqPerSec: requests / result.duration,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    requests,
    ...(sequence ? { otherRequests: unmeasured } : {}),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

function toAutocannon(step: LoadStep): AutocannonRequest {
  const { bodyFrom, headersFrom } = step;
  return {
    method: step.method,
    path: step.path,
    headers: step.headers,
    ...(step.body === undefined ? {} : { body: step.body }),
    onResponse: (_status, body, context) => {
      context.previous = body;
    },
    ...(bodyFrom || headersFrom
      ? {
          setupRequest: (request: AutocannonRequest, context: Record<string, string>) => {
            const round = Number(context.round ?? 0);
            context.round = String(round + 1);
            return {
              ...request,
              ...(bodyFrom ? { body: bodyFrom(context.previous ?? '') } : {}),
              ...(headersFrom ? { headers: { ...request.headers, ...headersFrom(round) } } : {}),
            };
          },
        }
      : {}),
  };
}
