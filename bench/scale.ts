// `npm run bench:scale`: the mock at 100,000 pods, 2,000 jobs and 10,000 policies (the seed's own
// size options, nothing special-built), against the default size for comparison. One request at a
// time, so each figure is the latency of that request alone.
//
//   npm run bench:scale -- [--pods 100000] [--jobs 2000] [--policies 10000] [--namespaces 20] [--samples 30] [--no-build]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { seedData } from '../src/world/seed.js';
import { asBin, buildMock, machine, median, MOCK_BIN, percentile, startProcess, type RunningProcess } from './lib/processes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const AUTH = { Authorization: 'Bearer scale' };
const JSON_AUTH = { ...AUTH, 'Content-Type': 'application/json' };

const { values: flags } = parseArgs({
  options: {
    pods: { type: 'string', default: '100000' },
    jobs: { type: 'string', default: '2000' },
    policies: { type: 'string', default: '10000' },
    namespaces: { type: 'string', default: '20' },
    samples: { type: 'string', default: '30' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/scale.json') },
  },
});
const SAMPLES = Number(flags.samples);
const BIG = { pods: Number(flags.pods), jobs: Number(flags.jobs), policies: Number(flags.policies), namespaces: Number(flags.namespaces) };

interface Timing {
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  bytes: number;
}

interface SizeReport {
  sizes: Record<string, number>;
  /** seedData() alone, in this process. */
  seedMs: number;
  /** Spawn to the first 200 of /__admin/health (seeding included). */
  startupMs: number;
  /** The first list: computed, validated and serialised. */
  firstListMs: number;
  rssAfterStartMb: number;
  rssEndMb: number;
  list: Timing;
  /** A list right after a write: recomputed every time. */
  listAfterWrite: Timing;
  podsOfThreePodPolicy: Timing;
  podsOfNamespacePolicy: Timing & { pods: number };
  create: Timing;
}

/** `request` `times` times in a row; `before` (not timed) runs ahead of each. */
async function timed(times: number, request: () => Promise<Response>, before?: () => Promise<unknown>): Promise<Timing> {
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    await before?.();
    const started = performance.now();
    const res = await request();
    const body = await res.arrayBuffer();
    ms.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${res.url} answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
    bytes = body.byteLength;
  }
  return { medianMs: median(ms), p99Ms: percentile(ms, 99), maxMs: Math.max(...ms), samples: times, bytes };
}

async function measure(label: string, sizes: Record<string, number>): Promise<SizeReport> {
  const args = Object.entries(sizes).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const seedStarted = performance.now();
  const data = seedData(undefined, sizes);
  const seedMs = performance.now() - seedStarted;
  const cluster = data.clusters[0]!;
  const namespace = data.namespaces.find((n) => n.clusterId === cluster.id)!;
  const pods = data.pods.filter((p) => p.clusterId === cluster.id).slice(0, 3);
  const namespacePods = data.pods.filter((p) => p.namespaceId === namespace.id).length;

  const proc: RunningProcess = await startProcess(
    {
      name: label,
      // --max-data: its estimate counts every id a policy lists as a copy, where the seed's share one string.
      argv: [...asBin(MOCK_BIN), '--port', '{port}', '--quiet', '--max-data', '4gb', ...args],
      readyPath: '/__admin/health',
    },
    { server: null, load: null },
    600_000,
  );
  try {
    const rssAfterStartMb = proc.rssMb();
    const url = (path: string) => `${proc.url}/v2/policy${path}`;
    const create = async (body: unknown) => {
      const res = await fetch(url('/create'), { method: 'POST', headers: JSON_AUTH, body: JSON.stringify(body) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`create answered ${res.status}: ${text}`);
      return text.trim();
    };
    const firstStarted = performance.now();
    await (await fetch(url('/list'), { headers: AUTH })).arrayBuffer();
    const firstListMs = performance.now() - firstStarted;

    const threePods = await create({ cluster_id: cluster.id, heartbeat_time: 60, resource: 'pods', resource_ids: pods.map((p) => p.id) });
    const wholeNamespace = await create({
      cluster_id: cluster.id,
      heartbeat_time: 60,
      resource: 'namespace',
      resource_ids: [namespace.id],
    });
    await (await fetch(url('/list'), { headers: AUTH })).arrayBuffer(); // computed once after the two creates
    const list = await timed(SAMPLES, () => fetch(url('/list'), { headers: AUTH }));
    let n = 0;
    const listAfterWrite = await timed(
      SAMPLES,
      () => fetch(url('/list'), { headers: AUTH }),
      () =>
        fetch(url('/update'), {
          method: 'POST',
          headers: JSON_AUTH,
          body: JSON.stringify({
            id: threePods,
            cluster_id: cluster.id,
            heartbeat_time: 60 + n++,
            resource: 'pods',
            resource_ids: pods.map((p) => p.id),
          }),
        }).then((r) => r.arrayBuffer()),
    );
    const podsOfThreePodPolicy = await timed(SAMPLES, () => fetch(url(`/${threePods}/pods`), { headers: AUTH }));
    const podsOfNamespacePolicy = {
      ...(await timed(SAMPLES, () => fetch(url(`/${wholeNamespace}/pods`), { headers: AUTH }))),
      pods: namespacePods,
    };
    const createTiming = await timed(SAMPLES, () =>
      fetch(url('/create'), {
        method: 'POST',
        headers: JSON_AUTH,
        body: JSON.stringify({ cluster_id: cluster.id, heartbeat_time: 60, resource: 'pods', resource_ids: pods.map((p) => p.id) }),
      }),
    );
    return {
      sizes,
      seedMs,
      startupMs: proc.startupMs,
      firstListMs,
      rssAfterStartMb,
      rssEndMb: proc.rssMb(),
      list,
      listAfterWrite,
      podsOfThreePodPolicy,
      podsOfNamespacePolicy,
      create: createTiming,
    };
  } finally {
    await proc.stop();
  }
}

const ms = (t: number) => (t < 10 ? t.toFixed(2) : t.toFixed(0));
const row = (what: string, small: Timing, big: Timing) =>
  `| ${what} | ${ms(small.medianMs)} / ${ms(small.p99Ms)} | ${ms(big.medianMs)} / ${ms(big.p99Ms)} | ${(big.bytes / 1024).toFixed(0)} KB |`;

async function main(): Promise<void> {
  if (!flags['no-build']) buildMock();
  const host = machine();
  console.log(`scale: ${host.cores} cores, ${host.cpu}, Node ${host.node}; ${SAMPLES} sequential requests per figure`);
  const small = await measure('default size', {});
  console.log(`  default size measured; seeding ${JSON.stringify(BIG)} ...`);
  const big = await measure('scale', BIG);
  const report = { date: new Date().toISOString(), machine: host, samples: SAMPLES, small, big };
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);

  const lines = [
    `| | default (60 pods, 12 jobs, 3 policies) | ${BIG.pods.toLocaleString('en-US')} pods, ${BIG.jobs.toLocaleString('en-US')} jobs, ${BIG.policies.toLocaleString('en-US')} policies | answer |`,
    '| --- | ---: | ---: | ---: |',
    `| seeding (seedData, in-process) | ${ms(small.seedMs)} ms | ${ms(big.seedMs)} ms | |`,
    `| start-up (spawn → first 200) | ${ms(small.startupMs)} ms | ${ms(big.startupMs)} ms | |`,
    `| RSS after start / at the end | ${small.rssAfterStartMb.toFixed(0)} / ${small.rssEndMb.toFixed(0)} MB | ${big.rssAfterStartMb.toFixed(0)} / ${big.rssEndMb.toFixed(0)} MB | |`,
    `| first list (computed, validated, serialised) | ${ms(small.firstListMs)} ms | ${ms(big.firstListMs)} ms | |`,
    '| **latency, median / p99 (ms)** | | | |',
    row('list, unchanged store', small.list, big.list),
    row('list right after a write (recomputed)', small.listAfterWrite, big.listAfterWrite),
    row('/pods of a 3-pod policy', small.podsOfThreePodPolicy, big.podsOfThreePodPolicy),
    row(
      `/pods of a whole-namespace policy (${small.podsOfNamespacePolicy.pods} vs ${big.podsOfNamespacePolicy.pods} pods)`,
      small.podsOfNamespacePolicy,
      big.podsOfNamespacePolicy,
    ),
    row('create', small.create, big.create),
  ];
  console.log(`\n${lines.join('\n')}\n`);
  const ratio = big.podsOfThreePodPolicy.medianMs / small.podsOfThreePodPolicy.medianMs;
  console.log(`/pods of a 3-pod policy: ${ratio.toFixed(2)}× the default-size latency (target: no slower as the cluster grows)`);
  console.log(
    `list of ${BIG.policies} policies after a write: ${ms(big.listAfterWrite.medianMs)} ms median, ${ms(big.listAfterWrite.p99Ms)} ms p99 (target, issue 11: median ≤ 50 ms)`,
  );
  console.log(`raw: ${flags.out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
