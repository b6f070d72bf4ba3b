// `npm run soak`: the soak at full size against our mock as `npm start` runs it (dist/bin/cedana-policy-mock.js, a
// process of its own). Exit 0 only when every pass condition holds; the report goes to
// bench/results/soak.json.
//
//   npm run soak -- [--requests 20000] [--concurrency 20] [--seed 1] [--contract-fuzz-runs 100] [--no-build]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadProfile } from '../contract-tests/config.js';
import { DEFAULT_PROFILE_PATH } from '../contract-tests/defaults.js';
import { buildMock, machine, MOCK_BIN, startProcess } from './lib/processes.js';
import { soak } from './lib/soak.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    'contract-fuzz-runs': { type: 'string', default: '100' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: join(ROOT, 'bench/results/soak.json') },
  },
});
const count = (name: 'requests' | 'concurrency' | 'seed' | 'contract-fuzz-runs') => {
  const value = Number(flags[name]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
};

async function main(): Promise<number> {
  if (!flags['no-build']) buildMock();
  const token = 'soak-token';
  const server = await startProcess(
    {
      name: 'ours',
      argv: [process.execPath, MOCK_BIN, '--port', '{port}', '--quiet'],
      readyPath: '/__admin/health',
      keepOutput: true,
    },
    { server: null, load: null },
  );
  try {
    console.log(
      `soak: ${flags.requests} requests, concurrency ${flags.concurrency}, seed ${flags.seed} against ${server.url} (pid ${server.pid})`,
    );
    const report = await soak({
      baseUrl: server.url,
      requests: count('requests'),
      concurrency: count('concurrency'),
      seed: count('seed'),
      token,
      profile: loadProfile(DEFAULT_PROFILE_PATH),
      rssMb: () => server.rssMb(),
      contractFuzzRuns: count('contract-fuzz-runs'),
      log: (line) => console.log(line),
    });
    const out = { date: new Date().toISOString(), machine: machine(), settings: flags, report, serverOutput: server.output().slice(-5000) };
    mkdirSync(dirname(flags.out), { recursive: true });
    writeFileSync(flags.out, `${JSON.stringify(out, null, 2)}\n`);
    for (const [kind, { count: n, statuses }] of Object.entries(report.byKind))
      console.log(`  ${kind.padEnd(15)} ${String(n).padStart(6)}  ${JSON.stringify(statuses)}`);
    console.log(`  RSS over the run (requests: MB): ${report.rss.timeline.map((t) => `${t.requests}: ${t.mb}`).join(', ')}`);
    for (const p of report.problems) console.log(`  !! ${p.kind} ${p.status} ${p.request.slice(0, 120)}\n     ${p.problem}`);
    console.log(
      `${report.passed ? 'PASS' : `FAIL: ${report.reasons.join('; ')}`} · ${report.requests} requests, ${report.reqPerSec.toFixed(0)} req/s · ` +
        `5xx ${report.serverErrors} · connection errors ${report.connectionErrors} · not ApiError ${report.notApiErrors} · ` +
        `RSS ${report.rss.afterWarmupMb.toFixed(0)} → ${report.rss.endMb.toFixed(0)} MB (${(report.rss.growth * 100).toFixed(1)}%) · healthy ${report.healthy} · ` +
        `contract ${report.contract ? (report.contract.conforms ? 'conforms' : 'FAILS') : 'not run'}\nreport: ${flags.out}`,
    );
    return report.passed ? 0 : 1;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
