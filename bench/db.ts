// `npm run bench:db`: creates against our mock with `--db` on a file that starts at 10,000 policies
// (the seed's own `--policies`), 10 connections, as issue #11 states its target (p50 ≤ 5 ms, p99 ≤ 20 ms).
// Each variant is a fresh process on a fresh temp file; the figures are the medians of the rounds.
//
//   npm run bench:db -- [--policies 10000] [--duration 5] [--warmup 2] [--rounds 3] [--variants fsync,no-fsync,memory] [--no-build]
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drive, type Round } from './lib/load.js';
import { asBin, buildMock, machine, median, MOCK_BIN, pinLoadToOwnCore, startProcess } from './lib/processes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const AUTH = { Authorization: 'Bearer bench-token' };
const CREATE_BODY = readFileSync(join(ROOT, 'fixtures/requests/valid/create-namespace.json'), 'utf8');

const { values: flags } = parseArgs({
  options: {
    policies: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    variants: { type: 'string', default: 'fsync,no-fsync,memory' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/db.json') },
  },
});

const VARIANTS: Record<string, { label: string; args: (file: string) => string[] }> = {
  fsync: { label: '--db (fdatasync per batch, the default)', args: (file) => ['--db', file] },
  'no-fsync': { label: '--db --no-db-fsync', args: (file) => ['--db', file, '--no-db-fsync'] },
  memory: { label: 'in memory (for comparison)', args: () => [] },
};

async function main(): Promise<void> {
  const variants = flags.variants.split(',').map((v) => v.trim());
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}; known: ${Object.keys(VARIANTS).join(', ')}`);
  const pinning = pinLoadToOwnCore();
  const host = machine();
  console.log(`bench:db: ${host.cores} cores, ${host.cpu}, Node ${host.node}; ${flags.policies} policies, 10 connections`);
  if (!flags['no-build']) buildMock();
  const runs = [];
  for (const id of variants) {
    const work = mkdtempSync(join(tmpdir(), 'cedana-bench-db-'));
    const file = join(work, 'store.json');
    const proc = await startProcess(
      {
        name: id,
        argv: [...asBin(MOCK_BIN), '--port', '{port}', '--quiet', '--policies', flags.policies, ...VARIANTS[id]!.args(file)],
        readyPath: '/v2/policy/list',
        headers: AUTH,
      },
      pinning,
      120_000,
    );
    try {
      const load = {
        method: 'POST' as const,
        path: '/v2/policy/create',
        headers: { ...AUTH, 'Content-Type': 'application/json' },
        body: CREATE_BODY,
      };
      await drive(proc.url, load, Number(flags.warmup));
      const rounds: Round[] = [];
      for (let i = 0; i < Number(flags.rounds); i++) rounds.push(await drive(proc.url, load, Number(flags.duration)));
      const run = {
        variant: id,
        label: VARIANTS[id]!.label,
        reqPerSec: median(rounds.map((r) => r.reqPerSec)),
        p50Ms: median(rounds.map((r) => r.p50Ms)),
        p99Ms: median(rounds.map((r) => r.p99Ms)),
        clean: rounds.every((r) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0),
        fileBytes: id === 'memory' ? 0 : statSync(file).size,
        rounds,
      };
      runs.push(run);
      console.log(
        `  create ${id.padEnd(9)} ${run.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${run.p50Ms.toFixed(2)} ms  p99 ${run.p99Ms.toFixed(2)} ms` +
          `${run.clean ? '' : '  (NOT CLEAN)'}  (${rounds.reduce((n, r) => n + r.requests, 0)} creates measured)`,
      );
    } finally {
      await proc.stop();
      rmSync(work, { recursive: true, force: true });
    }
  }
  mkdirSync(dirname(flags.out), { recursive: true });
  writeFileSync(flags.out, `${JSON.stringify({ date: new Date().toISOString(), machine: host, pinning, flags, runs }, null, 2)}\n`);
  const target = runs.filter((r) => r.variant !== 'memory');
  for (const r of target)
    console.log(`  ${r.p50Ms <= 5 && r.p99Ms <= 20 ? 'met' : 'MISSED'}  ${r.variant}: p50 ≤ 5 ms, p99 ≤ 20 ms (issue #11)`);
  console.log(`raw rounds: ${flags.out}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
