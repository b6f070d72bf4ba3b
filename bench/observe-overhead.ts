// `npx tsx bench/observe-overhead.ts`: what observe mode costs a client. Our mock (a process), then
// the same requests through `cedana-policy-contract observe` (another process) in front of it, one
// run side by side: latency with 1 connection (p50/p99 and the difference) and throughput with 10.
//
//   npx tsx bench/observe-overhead.ts [--duration 5] [--path /v2/policy/list]
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { startProcess, type Pinning } from './lib/processes.js';

// autocannon ships no types: the slice used here.
interface Result {
  latency: { p50: number; p99: number };
  requests: { average: number };
  errors: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
}) => Promise<Result>;

const { values } = parseArgs({
  options: { duration: { type: 'string', default: '5' }, path: { type: 'string', default: '/v2/policy/list' } },
});
const duration = Number(values.duration);
const headers = { Authorization: 'Bearer bench-token' };
const pinning: Pinning = { server: null, load: null };
const tsx = [process.execPath, '--import', 'tsx'];

const mock = await startProcess(
  {
    name: 'mock',
    argv: [...tsx, 'src/cli.ts', '--port', '{port}', '--quiet', '--token', 'bench-token'],
    readyPath: '/v2/policy/list',
    headers,
  },
  pinning,
);
const proxy = await startProcess(
  {
    name: 'observe',
    argv: [...tsx, 'contract-tests/cli.ts', 'observe', '--upstream', mock.url, '--port', '{port}', '--token', 'bench-token'],
    readyPath: '/v2/policy/list',
    headers,
  },
  pinning,
);

async function load(url: string, connections: number) {
  const result = await autocannon({ url: `${url}${values.path}`, headers, connections, duration });
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors: result.errors + result.non2xx };
}

try {
  const rows: [string, Awaited<ReturnType<typeof load>>][] = [];
  for (const [name, url] of [
    ['direct', mock.url],
    ['observe', proxy.url],
  ] as const) {
    await load(url, 1); // warm-up
    rows.push([`${name}, 1 connection`, await load(url, 1)], [`${name}, 10 connections`, await load(url, 10)]);
  }
  console.log(`GET ${values.path}, ${duration} s per row`);
  for (const [name, r] of rows)
    console.log(`${name.padEnd(24)} p50 ${r.p50} ms  p99 ${r.p99} ms  ${Math.round(r.rps)} req/s  errors ${r.errors}`);
  const [d1, , o1] = rows.map(([, r]) => r);
  const d10 = rows[1]?.[1];
  const o10 = rows[3]?.[1];
  if (d1 && o1 && d10 && o10) {
    console.log(`added latency (1 connection): p50 +${o1.p50 - d1.p50} ms, p99 +${o1.p99 - d1.p99} ms`);
    console.log(`throughput through observe (10 connections): ${Math.round((100 * o10.rps) / d10.rps)} % of direct`);
  }
} finally {
  await proxy.stop();
  await mock.stop();
}
