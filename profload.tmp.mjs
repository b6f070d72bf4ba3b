import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
const op = process.argv[2] ?? 'create';
const port = 43500;
const p = spawn(process.execPath, ['--max-semi-space-size=8', '--cpu-prof', '--cpu-prof-dir=/tmp/profload', 'dist/bin/cedana-policy-mock.js', '--port', String(port), '--quiet'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 2500));
const body = readFileSync('fixtures/requests/valid/create-namespace.json', 'utf8');
const H = { authorization: 'Bearer t', 'content-type': 'application/json' };
let opts;
if (op === 'create') opts = { method: 'POST', path: '/v2/policy/create', headers: H, body };
else if (op === 'list') opts = { method: 'GET', path: '/v2/policy/list', headers: H };
else if (op === 'update') {
  const c = await (await fetch(`http://127.0.0.1:${port}/v2/policy/create`, { method: 'POST', headers: H, body })).json();
  const id = c.id ?? c;
  opts = { method: 'PUT', path: `/v2/policy/update`, headers: H, body: JSON.stringify({ ...JSON.parse(body), id }) };
}
const r = await autocannon({ url: `http://127.0.0.1:${port}${opts.path}`, connections: 10, duration: 6, ...opts });
console.log(op, r.requests.average, 'req/s', r.non2xx, 'non2xx');
p.kill('SIGTERM');
await new Promise((r) => p.on('exit', r));
