// `npm run bench:profile -- [--ops create,update] [--seconds 8]`: where our mock's CPU goes per
// request, by part (Node's HTTP, Express, body parsing, validation, our own folders, GC), from a
// V8 CPU profile of the server under `npm run bench`'s load for each operation. The server runs
// dist/src/cli.js (the same code as the bin, unbundled, so each sample names its file), pinned to
// its own core like the bench's. Figures are self time per request, in µs; the profiler itself
// adds some (~10-20 %) to every part alike.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { drive } from './lib/load.js';
import { ALL_OPS, fill, loadOf, type Op } from './lib/operations.js';
import { buildMock, pinLoadToOwnCore, startProcess } from './lib/processes.js';

const { values: flags } = parseArgs({
  options: {
    ops: { type: 'string', default: 'list,create,update,delete' },
    seconds: { type: 'string', default: '8' },
    'no-build': { type: 'boolean', default: false },
  },
});
const OPS = flags.ops.split(',').map((s) => s.trim()) as Op[];
for (const op of OPS) if (!ALL_OPS.includes(op)) throw new Error(`unknown op ${op}; known: ${ALL_OPS.join(', ')}`);
const CLI = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));

interface Profile {
  nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>;
  samples: number[];
  timeDeltas: number[];
  endTime: number;
}

const NODE = 'Node (HTTP, streams, events, timers)';
const VALIDATION = 'validation (EOV, ajv; its compiled code)';

/** The part a sample's function belongs to, by its file: a package, a folder of ours, or Node. */
const PARTS: Array<[RegExp, string]> = [
  [
    /node_modules\/(express|router|parseurl|finalhandler|send|encodeurl|escape-html|on-finished|statuses|vary|depd|debug|ms|accepts|negotiator|fresh|range-parser|proxy-addr|qs|content-disposition|cookie|merge-descriptors|utils-merge)\//,
    'Express 5 (router, request, response)',
  ],
  [
    /node_modules\/(body-parser|raw-body|type-is|iconv-lite|content-type|bytes|media-typer|mime-types|mime-db|http-errors)\//,
    'body parsing (body-parser, raw-body)',
  ],
  [/node_modules\/(express-openapi-validator|ajv|ajv-formats|fast-uri|fast-deep-equal)\//, VALIDATION],
  [/node_modules\/(cors|object-assign)\//, 'CORS (cors)'],
  [/node_modules\/lowdb\//, 'store (lowdb)'],
  [/\/dist\/src\/http\/pipeline\//, 'ours: http/pipeline (auth, validator calls, responder)'],
  [/\/dist\/src\/http\/logging\//, 'ours: http/logging (journal, coverage)'],
  [/\/dist\/src\/http\/controls\//, 'ours: http/controls (Prefer, faults, delay)'],
  [/\/dist\/src\/http\//, 'ours: http (other)'],
  [/\/dist\/src\/(operations|domain)\//, 'ours: operations and domain'],
  [/\/dist\/src\/store\//, 'ours: store'],
  [/\/dist\/src\//, 'ours: other'],
  [/^node:/, NODE],
];

function partOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (fn === '(idle)') return 'idle';
  // No file: ajv's compiled validators (validate0, validate10, …), or natives (writev, the parser's callbacks).
  if (url === '') return fn.startsWith('validate') ? VALIDATION : NODE;
  return PARTS.find(([pattern]) => pattern.test(url))?.[1] ?? 'other packages';
}

/** Self time per request of each part, over the samples between `fromUs` and `toUs` (the measured seconds) only. */
function summarise(profile: Profile, requests: number, fromUs: number, toUs: number): Array<[string, number]> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parts = new Map<string, number>();
  let at = profile.endTime - profile.timeDeltas.reduce((sum, d) => sum + d, 0);
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs || at > toUs) return;
    const node = byId.get(id)!;
    const part = partOf(node.callFrame.url, node.callFrame.functionName);
    parts.set(part, (parts.get(part) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  parts.delete('idle');
  return [...parts].map(([part, us]) => [part, us / requests] as [string, number]).sort((a, b) => b[1] - a[1]);
}

async function profileOf(op: Op): Promise<{ requests: number; parts: Array<[string, number]> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cedana-profile-'));
  try {
    const pinning = pinLoadToOwnCore();
    const server = await startProcess(
      {
        name: 'ours',
        argv: [process.execPath, '--max-semi-space-size=8', '--cpu-prof', `--cpu-prof-dir=${dir}`, CLI, '--port', '{port}', '--quiet'],
        readyPath: '/v2/policy/list',
        headers: { Authorization: 'Bearer bench-token' },
      },
      pinning,
    );
    const load = loadOf(op, await fill(server));
    // The start-up's samples are few against seconds of load.
    await drive(server.url, load, 2);
    // V8 stamps samples with the system's monotonic clock in µs, as hrtime reads it here: start-up and warm-up are left out.
    const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);
    const from = monotonicUs();
    const round = await drive(server.url, load, Number(flags.seconds));
    const to = monotonicUs();
    // SIGTERM: the CLI shuts down and exits, and Node writes the profile on the way (stop() is a SIGKILL).
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGTERM');
    await exited;
    await server.stop();
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the server wrote no CPU profile (did it exit on SIGTERM?)');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    // Every HTTP request of the measured seconds (delete's creates too).
    const requests = round.requests + (round.otherRequests ?? 0);
    return { requests, parts: summarise(profile, requests, from, to) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!flags['no-build']) buildMock();
for (const op of OPS) {
  const { requests, parts } = await profileOf(op);
  const total = parts.reduce((sum, [, us]) => sum + us, 0);
  console.log(`\n${op}: ~${requests.toLocaleString('en')} requests, ${total.toFixed(0)} µs of CPU per request (profiled)`);
  for (const [part, us] of parts)
    console.log(`  ${us.toFixed(0).padStart(5)} µs  ${((100 * us) / total).toFixed(0).padStart(3)} %  ${part}`);
}
