// `npm run bench`: our mock against Prism and a bare Express 5 app, side by side, in one run.
//
// Each server is its own process on a free loopback port (pinned to core 0 when `taskset` exists;
// the load, autocannon in this process, on core 1), started fresh for each operation, with
// request logging off. 10 connections; a warm-up, then ROUNDS rounds of DURATION seconds; the
// figures are the medians of the rounds. Raw rounds go to bench/results/bench.json.
//
//   npm run bench -- [--duration 10] [--warmup 3] [--rounds 3] [--servers ours,prism,...]
//                    [--ops list,create,pods] [--no-build]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drive, type LoadSpec, type Round } from './lib/load.js';
import { machine, median, pinLoadToOwnCore, startProcess, type Pinning, type RunningProcess, type ServerCommand } from './lib/processes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const AUTH = { Authorization: 'Bearer bench-token' };
const JSON_AUTH = { ...AUTH, 'Content-Type': 'application/json' };
const CREATE_BODY = readFileSync(join(ROOT, 'fixtures/requests/valid/create-namespace.json'), 'utf8');
/** Policies the mock holds while list and pods are measured. */
const POLICIES = 20;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    servers: { type: 'string' },
    ops: { type: 'string', default: 'list,create,pods' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/bench.json') },
  },
});
const DURATION = positive('duration');
const WARMUP = positive('warmup');
const ROUNDS = positive('rounds');

type Op = 'list' | 'create' | 'pods';
const OPS = flags.ops.split(',').map((s) => s.trim()) as Op[];
for (const op of OPS) if (!['list', 'create', 'pods'].includes(op)) throw new Error(`unknown op ${op}`);

interface Server {
  id: string;
  label: string;
  command: (files: Files) => ServerCommand;
  /** Our mock: fill it to POLICIES policies and give the namespace policy to ask /pods of. */
  ours: boolean;
}

interface Files {
  list: string;
  pods: string;
  bare: string;
}

const node = process.execPath;
const cli = join(ROOT, 'dist/src/cli.js');
const prism = require.resolve('@stoplight/prism-cli/dist/index.js');
const spec = join(ROOT, 'spec/openapi.json');
const ready = { readyPath: '/v2/policy/list', headers: AUTH };

const SERVERS: Server[] = [
  { id: 'ours', label: 'ours', ours: true, command: () => ({ name: 'ours', argv: [node, cli, '--port', '{port}', '--quiet'], ...ready }) },
  {
    id: 'ours-unchecked',
    label: 'ours, response validation off',
    ours: true,
    command: () => ({ name: 'ours-unchecked', argv: [node, cli, '--port', '{port}', '--quiet', '--no-response-validation'], ...ready }),
  },
  {
    id: 'bare',
    label: 'bare Express 5',
    ours: false,
    command: (files) => ({
      name: 'bare',
      argv: [node, files.bare, '--port', '{port}', '--list', files.list, '--pods', files.pods],
      ...ready,
    }),
  },
  {
    id: 'prism',
    label: 'Prism 5.14 (-v silent)',
    ours: false,
    command: () => ({ name: 'prism', argv: [node, prism, 'mock', spec, '-p', '{port}', '-h', '127.0.0.1', '-v', 'silent'], ...ready }),
  },
  // The default-settings pair: both log every request (to /dev/null here, so a terminal's speed is not measured).
  {
    id: 'ours-logging',
    label: 'ours, default logging',
    ours: true,
    command: () => ({ name: 'ours-logging', argv: [node, cli, '--port', '{port}'], ...ready }),
  },
  {
    id: 'prism-logging',
    label: 'Prism 5.14, default logging',
    ours: false,
    command: () => ({ name: 'prism-logging', argv: [node, prism, 'mock', spec, '-p', '{port}', '-h', '127.0.0.1'], ...ready }),
  },
];
const selected = flags.servers ? flags.servers.split(',').map((s) => s.trim()) : SERVERS.map((s) => s.id);
for (const id of selected)
  if (!SERVERS.some((s) => s.id === id)) throw new Error(`unknown server ${id}; known: ${SERVERS.map((s) => s.id).join(', ')}`);

interface Run {
  server: string;
  op: Op;
  startupMs: number;
  rssMb: number;
  rounds: Round[];
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number;
  /** Non-2xx answers or connection errors in any round: the figure is not a clean one. */
  clean: boolean;
}

async function main(): Promise<void> {
  const pinning = pinLoadToOwnCore();
  const host = machine();
  console.log(
    `bench: ${host.cores} cores, ${host.cpu}, Node ${host.node}; server core ${pinning.server ?? 'any'}, load core ${pinning.load ?? 'any'}`,
  );
  console.log(
    `       ${WARMUP} s warm-up, ${ROUNDS} × ${DURATION} s, 10 connections; servers: ${selected.join(', ')}; ops: ${OPS.join(', ')}`,
  );

  const loadBefore = loadavg();
  console.log(
    `       load average before: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews every figure)`,
  );
  if (!flags['no-build']) build();
  const work = mkdtempSync(join(tmpdir(), 'cedana-bench-'));
  try {
    const files = await prepareFiles(work, pinning);
    const runs: Run[] = [];
    for (const op of OPS) {
      for (const server of SERVERS.filter((s) => selected.includes(s.id))) {
        const run = await measure(server, op, files, pinning);
        runs.push(run);
        console.log(
          `  ${op.padEnd(6)} ${server.id.padEnd(15)} ${fmt(run.reqPerSec, 0).padStart(7)} req/s  p50 ${fmt(run.p50Ms, 2)} ms  p99 ${fmt(run.p99Ms, 2)} ms  ` +
            `CPU ${fmt(run.cpuUsPerReq, 0)} µs/req  RSS ${fmt(run.rssMb, 0)} MB  start ${fmt(run.startupMs, 0)} ms${run.clean ? '' : '  (NOT CLEAN: non-2xx or errors, see JSON)'}`,
        );
      }
    }
    const report = {
      date: new Date().toISOString(),
      machine: host,
      loadAverage: { before: loadBefore, after: loadavg() },
      pinning,
      settings: { duration: DURATION, warmup: WARMUP, rounds: ROUNDS, connections: 10, policies: POLICIES },
      runs,
    };
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${renderTable(runs)}\n\n${renderTargets(runs)}\n\nraw rounds: ${flags.out}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** dist/src/cli.js is what `npm start` runs: measure that, freshly built. */
function build(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  const result = spawnSync(node, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed (tsc -p tsconfig.build.json)');
}

/** The bare app, compiled to plain JS (no loader in the measured process), and the JSON it serves: exactly what our mock answered. */
async function prepareFiles(work: string, pinning: Pinning): Promise<Files> {
  const ts = require('typescript') as typeof import('typescript');
  const source = readFileSync(join(ROOT, 'bench/bare-express.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  // Inside node_modules, so that `import express` resolves to the project's own.
  const bare = join(ROOT, 'node_modules/.cache/cedana-bench/bare-express.mjs');
  mkdirSync(dirname(bare), { recursive: true });
  writeFileSync(bare, js);

  const ours = await startProcess({ name: 'ours (capture)', argv: [node, cli, '--port', '{port}', '--quiet'], ...ready }, pinning);
  try {
    const { podsPath } = await fill(ours);
    const list = await fetch(`${ours.url}/v2/policy/list`, { headers: AUTH }).then((r) => r.text());
    const pods = await fetch(`${ours.url}${podsPath}`, { headers: AUTH }).then((r) => r.text());
    const files = { list: join(work, 'list.json'), pods: join(work, 'pods.json'), bare };
    writeFileSync(files.list, list);
    writeFileSync(files.pods, pods);
    console.log(
      `       list: ${(JSON.parse(list) as unknown[]).length} policies, ${list.length} bytes; pods of a namespace policy: ${(JSON.parse(pods) as unknown[]).length} pods, ${pods.length} bytes`,
    );
    return files;
  } finally {
    await ours.stop();
  }
}

/** Our mock to POLICIES policies; the namespace policy (created from the fixture) is the one /pods asks about. */
async function fill(server: RunningProcess): Promise<{ podsPath: string }> {
  const create = () =>
    fetch(`${server.url}/v2/policy/create`, { method: 'POST', headers: JSON_AUTH, body: CREATE_BODY }).then(async (r) => {
      const text = await r.text();
      if (r.status !== 200) throw new Error(`create answered ${r.status}: ${text}`);
      return text;
    });
  const id = await create();
  for (let i = 0; i < POLICIES; i++) {
    const list = (await fetch(`${server.url}/v2/policy/list`, { headers: AUTH }).then((r) => r.json())) as unknown[];
    if (list.length >= POLICIES) break;
    await create();
  }
  return { podsPath: `/v2/policy/${id}/pods` };
}

async function measure(server: Server, op: Op, files: Files, pinning: Pinning): Promise<Run> {
  const proc = await startProcess(server.command(files), pinning);
  try {
    // Prism and the bare app answer any id; ours needs a namespace policy of its own.
    const podsPath = server.ours ? (await fill(proc)).podsPath : '/v2/policy/b7fd99f4-01ff-475b-90ca-3ae2e5b48277/pods';
    const load: LoadSpec =
      op === 'list'
        ? { method: 'GET', path: '/v2/policy/list', headers: AUTH }
        : op === 'create'
          ? { method: 'POST', path: '/v2/policy/create', headers: JSON_AUTH, body: CREATE_BODY }
          : { method: 'GET', path: podsPath, headers: AUTH };
    await drive(proc.url, load, WARMUP);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const cpuBefore = proc.cpuMs();
      const round = await drive(proc.url, load, DURATION);
      rounds.push({ ...round, cpuUsPerReq: ((proc.cpuMs() - cpuBefore) * 1000) / round.requests });
    }
    return {
      server: server.id,
      op,
      startupMs: proc.startupMs,
      rssMb: proc.rssMb(),
      rounds,
      reqPerSec: median(rounds.map((r) => r.reqPerSec)),
      p50Ms: median(rounds.map((r) => r.p50Ms)),
      p99Ms: median(rounds.map((r) => r.p99Ms)),
      cpuUsPerReq: median(rounds.map((r) => r.cpuUsPerReq ?? Number.NaN)),
      clean: rounds.every((r) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0),
    };
  } finally {
    await proc.stop();
  }
}

const fmt = (n: number, digits: number) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';

function find(runs: Run[], server: string, op: Op): Run | undefined {
  return runs.find((r) => r.server === server && r.op === op);
}

function ratio(a: Run | undefined, b: Run | undefined): string {
  return a && b ? `${fmt(a.reqPerSec / b.reqPerSec, 2)}×` : '–';
}

function renderTable(runs: Run[]): string {
  const rows = [
    '| operation | server | req/s | p50 ms | p99 ms | server CPU µs/req | RSS after load, MB | start-up, ms | ours ÷ this (req/s) |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const op of OPS) {
    for (const server of SERVERS) {
      const run = find(runs, server.id, op);
      if (!run) continue;
      // The logging pair compares like with like.
      const ours = find(runs, server.id.endsWith('-logging') ? 'ours-logging' : 'ours', op);
      const vs = server.id === 'ours' || server.id === 'ours-logging' ? '' : ratio(ours, run);
      rows.push(
        `| ${op} | ${server.label}${run.clean ? '' : ' (not clean)'} | ${fmt(run.reqPerSec, 0)} | ${fmt(run.p50Ms, 2)} | ${fmt(run.p99Ms, 2)} | ${fmt(run.cpuUsPerReq, 0)} | ${fmt(run.rssMb, 0)} | ${fmt(run.startupMs, 0)} | ${vs} |`,
      );
    }
  }
  return rows.join('\n');
}

function renderTargets(runs: Run[]): string {
  const lines: string[] = ['targets (issue 5):'];
  const check = (what: string, ok: boolean | undefined, detail: string) =>
    lines.push(`  ${ok === undefined ? '  ?' : ok ? 'met' : 'MISSED'}  ${what}: ${detail}`);
  const times = (a: Run | undefined, b: Run | undefined) => (a && b ? a.reqPerSec / b.reqPerSec : undefined);
  for (const op of ['list', 'create'] as const) {
    const x = times(find(runs, 'ours', op), find(runs, 'prism', op));
    check(`${op} ≥ 1.5× Prism`, x === undefined ? undefined : x >= 1.5, x === undefined ? 'not measured' : `${fmt(x, 2)}×`);
  }
  const bare = times(find(runs, 'ours', 'list'), find(runs, 'bare', 'list'));
  check(
    'list ≥ 75% of bare Express',
    bare === undefined ? undefined : bare >= 0.75,
    bare === undefined ? 'not measured' : `${fmt(bare * 100, 0)}%`,
  );
  const ours = runs.filter((r) => r.server === 'ours');
  const p99 = Math.max(...ours.map((r) => r.p99Ms));
  check(
    'p99 ≤ 10 ms',
    ours.length ? p99 <= 10 : undefined,
    `worst ${fmt(p99, 2)} ms (${ours.map((r) => `${r.op} ${fmt(r.p99Ms, 2)}`).join(', ')})`,
  );
  const rss = Math.max(...ours.map((r) => r.rssMb));
  check(
    'RSS ≤ 120 MB',
    ours.length ? rss <= 120 : undefined,
    `worst ${fmt(rss, 0)} MB (${ours.map((r) => `${r.op} ${fmt(r.rssMb, 0)}`).join(', ')})`,
  );
  const start = median(ours.map((r) => r.startupMs));
  check('start-up ≤ 500 ms', ours.length ? start <= 500 : undefined, `median ${fmt(start, 0)} ms of ${ours.length}`);
  for (const op of ['list', 'create'] as const) {
    const x = times(find(runs, 'ours-logging', op), find(runs, 'prism-logging', op));
    check(`${op}, both logging, ≥ 2.5× Prism`, x === undefined ? undefined : x >= 2.5, x === undefined ? 'not measured' : `${fmt(x, 2)}×`);
  }
  for (const op of OPS) {
    const x = times(find(runs, 'ours', op), find(runs, 'ours-unchecked', op));
    if (x !== undefined) lines.push(`  cost of response validation, ${op}: ours keeps ${fmt(x * 100, 0)}% of the unchecked req/s`);
  }
  return lines.join('\n');
}

function positive(name: 'duration' | 'warmup' | 'rounds'): number {
  const value = Number(flags[name]);
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} must be a positive number`);
  return value;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
