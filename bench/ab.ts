// `npm run bench:ab -- --base <dir>`: server CPU per request of two builds of our mock, A/B
// interleaved, so a change is measured against the build before it under the same conditions
// (on a busy machine req/s moves ±30 % between runs; CPU per request far less).
//
// <dir> holds a build as a package does (dist/bin/cedana-policy-mock.js and package.json; `spec` and `inspector`
// may be links). Both servers run at once, pinned to one core; the load (this process) drives
// them in turn: A, B, A, B, … for --pairs pairs of --seconds each. Medians and B's change are printed.
//
//   npm run bench:ab -- --base node_modules/.cache/ab-base [--ops create,update,list] [--seconds 3] [--pairs 5]
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { drive, type LoadSpec } from './lib/load.js';
import { ALL_OPS, AUTH, fill, loadOf, type Op } from './lib/operations.js';
import { asBin, median, MOCK_BIN, pinLoadToOwnCore, startProcess, type RunningProcess } from './lib/processes.js';

const { values: flags } = parseArgs({
  options: {
    base: { type: 'string' },
    ops: { type: 'string', default: 'list,create,update,delete,pods' },
    seconds: { type: 'string', default: '3' },
    pairs: { type: 'string', default: '5' },
  },
});
if (!flags.base) throw new Error('--base <dir with dist/bin/cedana-policy-mock.js> is required');
const OPS = flags.ops.split(',').map((s) => s.trim()) as Op[];
for (const op of OPS) if (!ALL_OPS.includes(op)) throw new Error(`unknown op ${op}; known: ${ALL_OPS.join(', ')}`);
const SECONDS = Number(flags.seconds);
const PAIRS = Number(flags.pairs);

async function main(): Promise<void> {
  const pinning = pinLoadToOwnCore();
  const builds = { A: join(resolve(flags.base!), 'dist/bin/cedana-policy-mock.js'), B: MOCK_BIN };
  for (const op of OPS) {
    const servers: Record<string, RunningProcess> = {};
    const loads: Record<string, LoadSpec> = {};
    const cpu: Record<string, number[]> = { A: [], B: [] };
    try {
      for (const [name, cli] of Object.entries(builds)) {
        const server = await startProcess(
          { name, argv: [...asBin(cli), '--port', '{port}', '--quiet'], readyPath: '/v2/policy/list', headers: AUTH },
          pinning,
        );
        servers[name] = server;
        loads[name] = loadOf(op, await fill(server));
        await drive(server.url, loads[name], 1);
      }
      for (let i = 0; i < PAIRS; i++) {
        for (const name of i % 2 ? ['B', 'A'] : ['A', 'B']) {
          const server = servers[name]!;
          const before = server.cpuMs();
          const round = await drive(server.url, loads[name]!, SECONDS);
          if (round.non2xx || round.errors) throw new Error(`${op} ${name}: non-2xx ${round.non2xx}, errors ${round.errors}`);
          cpu[name]!.push(((server.cpuMs() - before) * 1000) / round.requests);
        }
      }
    } finally {
      for (const server of Object.values(servers)) await server.stop();
    }
    const a = median(cpu.A!);
    const b = median(cpu.B!);
    console.log(
      `${op.padEnd(8)} A ${a.toFixed(0).padStart(4)} µs/req  B ${b.toFixed(0).padStart(4)} µs/req  ${(((b - a) / a) * 100).toFixed(1)} %   (A ${cpu.A!.map((x) => x.toFixed(0)).join(' ')} | B ${cpu.B!.map((x) => x.toFixed(0)).join(' ')})`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
