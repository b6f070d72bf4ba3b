// `npm run bench`: our mock against Prism and a bare Express 5 app, side by side, in one run.
//
// Each server is its own process on a free loopback port (pinned to core 0 when `taskset` exists;
// the load, autocannon in this process, on core 1), started fresh for each operation, with
// request logging off. 10 connections; each server warmed up, then ROUNDS rounds of DURATION
// seconds, the servers taking turns round by round; the figures are the medians of the rounds, a
// ratio the median of the rounds' ratios. The verdict on each of issue 22's targets (met / missed)
// and the raw rounds go to bench/results/bench.json, which is committed.
//
//   npm run bench -- [--duration 6] [--warmup 3] [--rounds 5] [--servers ours,prism,...]
//                    [--ops list,create,update,delete,pods,jobs,job-status,sessions] [--no-build]
//
// `delete`: each connection creates a policy, then deletes it; the figures are the deletes'
// (server CPU per delete includes its create). `sessions`: list, in rotation over 20
// X-Mock-Session names.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drive, type LoadSpec, type Round } from './lib/load.js';
import { ALL_OPS, ANY_ID, AUTH, fill, loadOf, POLICIES, type Op } from './lib/operations.js';
import {
  asBin,
  buildMock,
  machine,
  measuredCommit,
  median,
  MOCK_BIN,
  pinLoadToOwnCore,
  startProcess,
  type Pinning,
  type RunningProcess,
  type ServerCommand,
} from './lib/processes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
    servers: { type: 'string' },
    ops: { type: 'string', default: 'list,create,update,delete,pods,jobs,job-status,sessions' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/bench.json') },
  },
});
const DURATION = positive('duration');
const WARMUP = positive('warmup');
const ROUNDS = positive('rounds');

const OPS = flags.ops.split(',').map((s) => s.trim()) as Op[];
for (const op of OPS) if (!ALL_OPS.includes(op)) throw new Error(`unknown op ${op}; known: ${ALL_OPS.join(', ')}`);

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
  jobs: string;
  jobStatus: string;
  bare: string;
}

const node = process.execPath;
const prism = require.resolve('@stoplight/prism-cli/dist/index.js');
const spec = join(ROOT, 'spec/openapi.json');
const ready = { readyPath: '/v2/policy/list', headers: AUTH };

/** The bare Express app (bench/bare-express.ts) answering with the captured files, plus `extra` flags. */
function bareExpress(name: string, files: Files, extra: string[] = []): ServerCommand {
  const answers = ['--list', files.list, '--pods', files.pods, '--jobs', files.jobs, '--job-status', files.jobStatus];
  return { name, argv: [node, files.bare, '--port', '{port}', ...answers, ...extra], ...ready };
}

const SERVERS: Server[] = [
  {
    id: 'ours',
    label: 'ours',
    ours: true,
    command: () => ({ name: 'ours', argv: [...asBin(MOCK_BIN), '--port', '{port}', '--quiet'], ...ready }),
  },
  {
    id: 'ours-unchecked',
    label: 'ours, response validation off',
    ours: true,
    command: () => ({
      name: 'ours-unchecked',
      argv: [...asBin(MOCK_BIN), '--port', '{port}', '--quiet', '--no-response-validation'],
      ...ready,
    }),
  },
  {
    id: 'bare',
    label: 'bare Express 5',
    ours: false,
    command: (files) => bareExpress('bare', files),
  },
  {
    // Not in the verdicts: how much of the lead over bare Express is the mock's request classes alone.
    id: 'bare-classes',
    label: "bare Express 5, the mock's request classes",
    ours: false,
    command: (files) => bareExpress('bare-classes', files, ['--app-classes', join(ROOT, 'dist/src/http/app-message-classes.js')]),
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
    command: () => ({ name: 'ours-logging', argv: [...asBin(MOCK_BIN), '--port', '{port}'], ...ready }),
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
  if (!flags['no-build']) buildMock();
  const work = mkdtempSync(join(tmpdir(), 'cedana-bench-'));
  try {
    const files = await prepareFiles(work, pinning);
    const runs: Run[] = [];
    for (const op of OPS) {
      for (const run of await measureOp(
        SERVERS.filter((s) => selected.includes(s.id)),
        op,
        files,
        pinning,
      )) {
        runs.push(run);
        console.log(
          `  ${op.padEnd(10)} ${run.server.padEnd(15)} ${fmt(run.reqPerSec, 0).padStart(7)} req/s  p50 ${fmt(run.p50Ms, 2)} ms  p99 ${fmt(run.p99Ms, 2)} ms  ` +
            `CPU ${fmt(run.cpuUsPerReq, 0)} µs/req  RSS ${fmt(run.rssMb, 0)} MB  start ${fmt(run.startupMs, 0)} ms${run.clean ? '' : '  (NOT CLEAN: non-2xx or errors, see JSON)'}`,
        );
      }
    }
    const found = verdicts(runs);
    const report = {
      date: new Date().toISOString(),
      commit: measuredCommit(ROOT),
      machine: host,
      loadAverage: { before: loadBefore, after: loadavg() },
      pinning,
      settings: { duration: DURATION, warmup: WARMUP, rounds: ROUNDS, connections: 10, policies: POLICIES },
      verdicts: found,
      runs,
    };
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(
      `\n${renderTable(runs)}\n\n${renderTargets(runs, found)}\n\nverdicts and raw rounds: ${flags.out} (commit it: a regression shows in review)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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

  const ours = await startProcess({ name: 'ours (capture)', argv: [...asBin(MOCK_BIN), '--port', '{port}', '--quiet'], ...ready }, pinning);
  try {
    const ids = await fill(ours);
    const text = (path: string) => fetch(`${ours.url}${path}`, { headers: AUTH }).then((r) => r.text());
    const list = await text('/v2/policy/list');
    const pods = await text(`/v2/policy/${ids.namespacePolicy}/pods`);
    const files = {
      list: join(work, 'list.json'),
      pods: join(work, 'pods.json'),
      jobs: join(work, 'jobs.json'),
      jobStatus: join(work, 'job-status.json'),
      bare,
    };
    writeFileSync(files.list, list);
    writeFileSync(files.pods, pods);
    writeFileSync(files.jobs, await text(`/v2/policy/${ids.jobsPolicy}/jobs`));
    writeFileSync(files.jobStatus, await text(`/v2/policy/${ids.jobsPolicy}/job-status`));
    console.log(
      `       list: ${(JSON.parse(list) as unknown[]).length} policies, ${list.length} bytes; pods of a namespace policy: ${(JSON.parse(pods) as unknown[]).length} pods, ${pods.length} bytes`,
    );
    return files;
  } finally {
    await ours.stop();
  }
}

/**
 * Every selected server of one operation, measured side by side: each is started (its start-up
 * timed alone) and warmed, then the rounds take turns (ours, bare, Prism; bare, Prism, ours; ...),
 * so that a host that slows down or speeds up in the middle weighs on each server alike.
 */
async function measureOp(servers: Server[], op: Op, files: Files, pinning: Pinning): Promise<Run[]> {
  const started: { server: Server; proc: RunningProcess; load: LoadSpec; rounds: Round[] }[] = [];
  try {
    for (const server of servers) {
      const proc = await startProcess(server.command(files), pinning);
      // Pushed before the fill: a failing fill still stops it.
      const entry = { server, proc, load: loadOf(op, { namespacePolicy: ANY_ID, jobsPolicy: ANY_ID }), rounds: [] as Round[] };
      started.push(entry);
      // Prism and the bare app answer any id; ours needs policies of its own.
      if (server.ours) entry.load = loadOf(op, await fill(proc));
    }
    for (const { proc, load } of started) await drive(proc.url, load, WARMUP);
    for (let i = 0; i < ROUNDS; i++) {
      for (let k = 0; k < started.length; k++) {
        const { proc, load, rounds } = started[(i + k) % started.length]!;
        const cpuBefore = proc.cpuMs();
        const round = await drive(proc.url, load, DURATION);
        rounds.push({ ...round, cpuUsPerReq: ((proc.cpuMs() - cpuBefore) * 1000) / round.requests });
      }
    }
    return started.map(({ server, proc, rounds }) => ({
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
    }));
  } finally {
    await Promise.all(started.map(({ proc }) => proc.stop()));
  }
}

const fmt = (n: number, digits: number) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';

function find(runs: Run[], server: string, op: Op): Run | undefined {
  return runs.find((r) => r.server === server && r.op === op);
}

/**
 * How many times b's requests per second a makes: the median of the rounds' ratios, each round of
 * a next to the same round of b (measured in turn, seconds apart), so that drift of the host
 * between rounds cancels out.
 */
function times(a: Run | undefined, b: Run | undefined): number | undefined {
  if (!a || !b) return undefined;
  const n = Math.min(a.rounds.length, b.rounds.length);
  return median(Array.from({ length: n }, (_, i) => a.rounds[i]!.reqPerSec / b.rounds[i]!.reqPerSec));
}

function ratio(a: Run | undefined, b: Run | undefined): string {
  const x = times(a, b);
  return x === undefined ? '–' : `${fmt(x, 2)}×`;
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

/** Issue 22's targets, each against the servers measured in this run. */
const WRITES: readonly Op[] = ['create', 'update', 'delete'];
const PRISM_FACTOR = 1.5;
const MAX_STARTUP_MS = 400;
const MAX_READ_RSS_MB = 110;

interface Verdict {
  target: string;
  /** undefined: not measured in this run (a server or an operation left out). */
  met: boolean | undefined;
  detail: string;
}

function verdicts(runs: Run[]): Verdict[] {
  const out: Verdict[] = [];
  const check = (target: string, met: boolean | undefined, detail: string) => out.push({ target, met, detail });
  const atLeast = (target: string, x: number | undefined, factor: number) =>
    check(target, x === undefined ? undefined : x >= factor, x === undefined ? 'not measured' : `${fmt(x, 2)}×`);
  for (const op of OPS) {
    const ours = find(runs, 'ours', op);
    atLeast(`${op} ≥ ${PRISM_FACTOR}× Prism`, times(ours, find(runs, 'prism', op)), PRISM_FACTOR);
    const bareFactor = WRITES.includes(op) ? 0.8 : 1;
    const bare = find(runs, 'bare', op);
    atLeast(`${op} ≥ ${bareFactor}× bare Express`, times(ours, bare), bareFactor);
    check(
      `${op} p99 ≤ bare Express's`,
      ours && bare ? ours.p99Ms <= bare.p99Ms : undefined,
      ours && bare ? `${fmt(ours.p99Ms, 2)} vs ${fmt(bare.p99Ms, 2)} ms` : 'not measured',
    );
  }
  const ours = runs.filter((r) => r.server === 'ours');
  const start = median(ours.map((r) => r.startupMs));
  check(
    `start-up ≤ ${MAX_STARTUP_MS} ms`,
    ours.length ? start <= MAX_STARTUP_MS : undefined,
    `median ${fmt(start, 0)} ms of ${ours.length}`,
  );
  // Writes leave their data in the mock (a create row's RSS is the policies it made).
  const reads = ours.filter((r) => !WRITES.includes(r.op));
  const rss = Math.max(...reads.map((r) => r.rssMb));
  check(
    `RSS after read load ≤ ${MAX_READ_RSS_MB} MB`,
    reads.length ? rss <= MAX_READ_RSS_MB : undefined,
    `worst ${fmt(rss, 0)} MB (${reads.map((r) => `${r.op} ${fmt(r.rssMb, 0)}`).join(', ')})`,
  );
  return out;
}

function renderTargets(runs: Run[], found: Verdict[]): string {
  const lines: string[] = ['targets (issue 22):'];
  for (const v of found) lines.push(`  ${v.met === undefined ? '     ?' : v.met ? '   met' : 'MISSED'}  ${v.target}: ${v.detail}`);
  const met = found.filter((v) => v.met === true).length;
  const missed = found.filter((v) => v.met === false).length;
  lines.push(`  ${met} met, ${missed} missed, ${found.length - met - missed} not measured`);
  for (const op of OPS) {
    const x = times(find(runs, 'ours-logging', op), find(runs, 'prism-logging', op));
    if (x !== undefined) lines.push(`  both logging, ${op}: ${fmt(x, 2)}× Prism`);
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
