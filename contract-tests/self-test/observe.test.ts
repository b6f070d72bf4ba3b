import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startCli, type RunningMock } from '../../test/helpers/spawn-mock.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type Fault, type ReferenceServer } from './reference-server.js';
import { killObserves, runObserve, TRAFFIC_COMMAND } from './run-observe.js';

// Distinctive, so that any leak into an output or a report file is found.
const TOKEN = 'observe-secret-token-5b1e';

describe('observe mode judges the traffic of a scripted client', { timeout: 120_000 }, () => {
  let dir: string;
  let profile: string;
  const servers: ReferenceServer[] = [];
  let mock: RunningMock;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-observe-'));
    profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify(REFERENCE_PROFILE));
    mock = await startCli(['--port', '0', '--quiet', '--token', TOKEN], { timeoutMs: 30_000 });
  });
  afterAll(async () => {
    killObserves();
    await killAll();
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const server = async (fault?: Fault) => {
    const s = await startReferenceServer({ token: TOKEN, fault });
    servers.push(s);
    return s;
  };
  const reports = (name: string) => ({
    junit: join(dir, `${name}.xml`),
    html: join(dir, `${name}.html`),
    json: join(dir, `${name}.json`),
    har: join(dir, `${name}.har`),
  });
  const observeArgs = (upstream: string, files: ReturnType<typeof reports>) => [
    ...['--upstream', upstream, '--port', '0', '--token', TOKEN, '--expect-auth'],
    ...['--junit', files.junit, '--html', files.html, '--json', files.json, '--har', files.har],
  ];
  const everything = (run: { stdout: string; stderr: string }, files: ReturnType<typeof reports>) =>
    [run.stdout, run.stderr, ...Object.values(files).map((f) => readFileSync(f, 'utf8'))].join('\n');

  it.concurrent(
    'finds nothing wrong with the reference server: exit 0, client findings apart, every report written, no token',
    async () => {
      const files = reports('reference');
      const upstream = await server();
      const run = await runObserve([...observeArgs(upstream.url, files), ...TRAFFIC_COMMAND], {
        TRAFFIC_TOKEN: TOKEN,
        TRAFFIC_PROFILE: profile,
      });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain('✗');
      expect(run.stdout).toMatch(/^CONFORMS · observed http:\/\/127\.0\.0\.1:\d+ · 37 exchanges/m);
      // The invalid requests are the client's findings, printed as they pass and again at the end.
      expect(run.stdout).toMatch(/^client: policy_create · body \/heartbeat_time must be >= 0 · curl /m);
      expect(run.stdout).toContain('client findings (requests that break the spec; the backend is not at fault):');
      expect(run.stdout).toMatch(/^rules that never had anything to judge: positive_data_acceptance, differential_agreement$/m);
      expect(run.stdout).toMatch(/^ {2}policy_create +200 +400 +\(500\) +never sent: id, runc_root$/m);
      const result = JSON.parse(readFileSync(files.json, 'utf8')) as {
        verdict: string;
        clientFindings: unknown[];
        rules: { id: string; state: string }[];
      };
      expect(result.verdict).toBe('conforms');
      expect(result.clientFindings).toHaveLength(3);
      for (const rule of ['lifecycle', 'cross_endpoint_consistency', 'use_after_free', 'model_conformance', 'ignored_auth'] as const) {
        expect(result.rules.find((r) => r.id === rule)?.state, rule).toBe('passed');
      }
      expect(readFileSync(files.junit, 'utf8')).not.toContain('<failure');
      const har = JSON.parse(readFileSync(files.har, 'utf8')) as {
        log: { entries: { request: { headers: { name: string; value: string }[] } }[] };
      };
      expect(har.log.entries).toHaveLength(37);
      expect(har.log.entries[0]?.request.headers).toContainEqual({ name: 'Authorization', value: 'Bearer $CONTRACT_TOKEN' });
      expect(everything(run, files)).not.toContain(TOKEN);
    },
  );

  it.concurrent('finds nothing wrong with our mock either', async () => {
    const files = reports('mock');
    const run = await runObserve([...observeArgs(mock.banner.url, files), ...TRAFFIC_COMMAND], { TRAFFIC_TOKEN: TOKEN });
    expect(run.stdout).not.toContain('✗');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^CONFORMS · observed/m);
    expect(everything(run, files)).not.toContain(TOKEN);
  });

  const FAULTS: { fault: Fault; rule: string; line: RegExp }[] = [
    {
      fault: 'update_ignored',
      rule: 'lifecycle',
      line: /^✗ policy_list · lifecycle · list input is the heartbeat_time last sent \(create or update\) \(policy [0-9a-f-]+: list shows 60, was sent 90\) · curl -i -X GET 'http:\/\/127\.0\.0\.1:\d+\/v2\/policy\/list' -H "Authorization: Bearer \$CONTRACT_TOKEN"$/m,
    },
    {
      fault: 'pod_count_off_by_one',
      rule: 'cross_endpoint_consistency',
      line: /^✗ policy_pods · cross_endpoint_consistency · list pod_count equals the length of \/pods \(policy [0-9a-f-]+: list pod_count 5, \/pods has 4\) · curl -i -X GET 'http:\/\/127\.0\.0\.1:\d+\/v2\/policy\/[0-9a-f-]+\/pods' -H "Authorization: Bearer \$CONTRACT_TOKEN"$/m,
    },
  ];

  for (const { fault, rule, line } of FAULTS) {
    it.concurrent(
      `names ${rule} for a server whose answers are schema-valid but wrong in meaning (${fault}); the COMMAND route exits 1`,
      async () => {
        const files = reports(fault);
        const upstream = await server(fault);
        const run = await runObserve([...observeArgs(upstream.url, files), ...TRAFFIC_COMMAND], {
          TRAFFIC_TOKEN: TOKEN,
          TRAFFIC_PROFILE: profile,
        });
        expect(run.code).toBe(1);
        expect(run.stdout).toMatch(line);
        const result = JSON.parse(readFileSync(files.json, 'utf8')) as { verdict: string; rules: { id: string; state: string }[] };
        expect(result.verdict).toBe('does-not-conform');
        expect(result.rules.find((r) => r.id === rule)?.state).toBe('failed');
        // Only the meaning is wrong: the shape judges have nothing to say.
        for (const shape of ['status_code_conformance', 'content_type_conformance', 'response_schema_conformance']) {
          expect(result.rules.find((r) => r.id === shape)?.state, shape).toBe('passed');
        }
        expect(readFileSync(files.junit, 'utf8')).toMatch(
          new RegExp(`<testcase classname="contract" name="${rule}" time="[0-9.]+">\\s*<failure `),
        );
        expect(everything(run, files)).not.toContain(TOKEN);
      },
    );
  }

  it.concurrent("exits with the command's own failure code, whatever the verdict", async () => {
    const upstream = await server();
    const run = await runObserve(['--upstream', upstream.url, '--port', '0', '--', process.execPath, '-e', 'process.exit(3)']);
    expect(run.code).toBe(3);
  });
});
