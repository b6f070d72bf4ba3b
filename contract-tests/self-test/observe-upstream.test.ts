import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe } from '../observe/observe.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { sendTraffic } from './observe-traffic.js';
import { killObserves, runObserve } from './run-observe.js';

const TOKEN = 'observe-secret-token-77aa';

// The COMMAND: one request through the proxy, printing what came back and how long it took.
const PROBE = `const t = Date.now(); const r = await fetch(process.env.CONTRACT_OBSERVE_URL + '/v2/policy/list');
console.log('PROBE ' + JSON.stringify({ status: r.status, ms: Date.now() - t, body: await r.json() }));`;
const probeOf = (stdout: string) =>
  JSON.parse(/^PROBE (.*)$/m.exec(stdout)?.[1] ?? 'null') as { status: number; ms: number; body: { message: string; code: string } } | null;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('observe mode when the upstream fails, with --enforce, and as a library', { timeout: 90_000 }, () => {
  let dir: string;
  let stalled: Server;
  const sockets = new Set<Socket>();
  const servers: ReferenceServer[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-observe-up-'));
    // Accepts connections and never answers.
    stalled = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    killObserves();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => stalled.close(() => resolve()));
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const upstreams = {
    down: async () => `http://127.0.0.1:${await closedPort()}`,
    stalled: () => Promise.resolve(`http://127.0.0.1:${(stalled.address() as AddressInfo).port}`),
  };
  for (const [name, upstream] of Object.entries(upstreams)) {
    it.concurrent(
      `an upstream that is ${name}: the client gets a 502 ApiError quickly, the run ends as a set-up problem with its reports`,
      async () => {
        const files = {
          junit: join(dir, `${name}.xml`),
          html: join(dir, `${name}.html`),
          json: join(dir, `${name}.json`),
          har: join(dir, `${name}.har`),
        };
        const args = ['--upstream', await upstream(), '--port', '0', '--request-timeout', '1', '--token', TOKEN];
        const reports = ['--junit', files.junit, '--html', files.html, '--json', files.json, '--har', files.har];
        const run = await runObserve([...args, ...reports, '--', process.execPath, '--input-type=module', '-e', PROBE]);
        const probe = probeOf(run.stdout);
        expect(probe?.status).toBe(502);
        expect(probe?.body.code).toBe('502');
        expect(probe?.body.message).toMatch(/^observe: the upstream gave no complete answer \(/);
        expect(probe?.ms).toBeLessThan(5_000); // the request timeout is 1 s
        expect(run.code).toBe(2);
        expect(run.stdout).toMatch(/^SET-UP PROBLEM \(the upstream http:\/\/127\.0\.0\.1:\d+ gave no complete answer: /m);
        for (const file of Object.values(files)) expect(existsSync(file), file).toBe(true);
        expect((JSON.parse(readFileSync(files.json, 'utf8')) as { verdict: string }).verdict).toBe('setup-error');
      },
    );
  }

  it.concurrent('--enforce replaces an answer that breaks the spec with a 502 ApiError naming the violation', async () => {
    const upstream = await startReferenceServer({ token: TOKEN, fault: 'list_input_is_string' });
    servers.push(upstream);
    const violations: string[] = [];
    const proxy = await observe({ upstream: upstream.url, token: TOKEN, enforce: true, onViolation: (line) => violations.push(line) });
    try {
      const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
      const body = JSON.stringify({
        cluster_id: REFERENCE_PROFILE.clusterId,
        heartbeat_time: 5,
        resource_ids: REFERENCE_PROFILE.podIds.slice(0, 1),
      });
      const created = await fetch(`${proxy.url}/v2/policy/create`, { method: 'POST', headers, body });
      expect(created.status).toBe(200); // a conforming answer passes unchanged
      const listed = await fetch(`${proxy.url}/v2/policy/list`, { headers });
      expect(listed.status).toBe(502);
      const error = (await listed.json()) as { message: string; code: string; details: { rule: string }[] };
      expect(error.code).toBe('502');
      expect(error.message).toMatch(/^observe --enforce: the upstream's answer breaks the contract: response_schema_conformance · /);
      expect(error.details.map((d) => d.rule)).toContain('response_schema_conformance');
      expect(violations.some((line) => line.startsWith('✗ policy_list · response_schema_conformance · '))).toBe(true);
    } finally {
      const result = await proxy.close();
      expect(result.exitCode).toBe(1);
    }
  });

  it.concurrent('as a library: the handle holds the results so far, and a correct server conforms', async () => {
    const upstream = await startReferenceServer({ token: TOKEN });
    servers.push(upstream);
    const proxy = await observe({ upstream: upstream.url, port: 0, token: TOKEN });
    expect(proxy.results().verdict).toBe('setup-error'); // nothing observed yet
    await sendTraffic(proxy.url, TOKEN, REFERENCE_PROFILE);
    const sofar = proxy.results();
    expect(sofar.requests).toBe(37);
    expect(sofar.verdict).toBe('conforms');
    expect((await proxy.close()).exitCode).toBe(0);
  });

  it.concurrent('holds at most maxConnections client connections: one more is closed, and it serves again once they go', async () => {
    const upstream = await startReferenceServer({ token: TOKEN });
    servers.push(upstream);
    const proxy = await observe({ upstream: upstream.url, port: 0, token: TOKEN, maxConnections: 3 });
    const { port } = new URL(proxy.url);
    const open = (): Promise<Socket> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => resolve(socket)).once('error', reject);
      });
    const closed = (socket: Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));
    try {
      const held = await Promise.all([open(), open(), open()]);
      const extra = await open();
      await closed(extra); // the server drops it without an answer
      for (const socket of held) socket.destroy();
      await Promise.all(held.map(closed));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await fetch(`${proxy.url}/v2/policy/list`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  it.concurrent('without a COMMAND it runs until SIGTERM, then reports', async () => {
    const upstream = await startReferenceServer({ token: TOKEN });
    servers.push(upstream);
    const run = runObserve(['--upstream', upstream.url, '--port', '0', '--token', TOKEN]);
    const url = await new Promise<string>((resolve) => {
      const look = () => {
        const found = /^observe: (http:\/\/\S+) → /m.exec(run.output())?.[1];
        if (found) resolve(found);
        else setTimeout(look, 50);
      };
      look();
    });
    await sendTraffic(url, TOKEN, REFERENCE_PROFILE);
    run.child.kill('SIGTERM');
    const { code, stdout } = await run;
    expect(code).toBe(0);
    expect(stdout).toMatch(/^CONFORMS · observed http:\/\/127\.0\.0\.1:\d+ · 37 exchanges/m);
  });
});
