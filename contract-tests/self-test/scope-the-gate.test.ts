import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, keptExchange } from '../client.js';
import { runContract } from '../run-contract.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REPO_ROOT, runCli } from './run-node.js';

// A team's gate against a staging server behind TLS with its own CA, an API gateway header, one
// known failure waived (the docs' example file) and one stale waiver: every output says so.

const TOKEN = 'gate-token-5e1f0c';
const SECRET = 'tenant-key-9f3a7c21b8';
const FAULT_REASON = 'PODS-142: pod status ships in v2.4';

/** The waivers file of docs/contract-suite.md's "Scope the gate": the suite runs what the docs show. */
function docsWaivers(): { waivers: Record<string, string>[] } {
  const docs = readFileSync(join(REPO_ROOT, 'docs/contract-suite.md'), 'utf8');
  const section = docs.slice(docs.indexOf('### Scope the gate'));
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('no JSON example under "Scope the gate"');
  return JSON.parse(block) as { waivers: Record<string, string>[] };
}

describe('scoping the gate: waivers, --header, --ca-cert / --insecure, --json, --har', { timeout: 240_000 }, () => {
  let dir: string;
  let server: ReferenceServer;
  const tenants = new Map<string, number>();
  let files: Record<'cert' | 'profile' | 'waivers' | 'json' | 'har' | 'junit' | 'html', string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scope-gate-'));
    const key = join(dir, 'key.pem');
    files = {
      cert: join(dir, 'cert.pem'),
      profile: join(dir, 'profile.json'),
      waivers: join(dir, 'waivers.json'),
      json: join(dir, 'out/result.json'),
      har: join(dir, 'out/run.har'),
      junit: join(dir, 'out/junit.xml'),
      html: join(dir, 'out/report.html'),
    };
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', files.cert],
      ],
      { stdio: 'ignore' },
    );
    server = await startReferenceServer({
      fault: 'pod_missing_status',
      token: TOKEN,
      tls: { key: readFileSync(key), cert: readFileSync(files.cert) },
      onRequest: (req) => {
        const value = String(req.headers['x-tenant'] ?? '(none)');
        if (tenants.size < 10) tenants.set(value, (tenants.get(value) ?? 0) + 1);
      },
    });
    writeFileSync(files.profile, JSON.stringify(REFERENCE_PROFILE));
    const { waivers } = docsWaivers();
    waivers.push({ rule: 'lifecycle', operation: 'policy_update', reason: 'UPD-7: fixed since, nobody removed it' });
    writeFileSync(files.waivers, JSON.stringify({ waivers }));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const gate = (...extra: string[]) =>
    runCli(['--base-url', server.url, '--token', TOKEN, '--profile', files.profile, '--fuzz-runs', '5', '--model-runs', '5', ...extra]);

  it('the waived failure is shown as waived in every output, the stale waiver reported, the header sent and masked; exit 0', async () => {
    const run = await gate(
      ...['--waivers', files.waivers, '--header', `X-Tenant: ${SECRET}`, '--ca-cert', files.cert],
      ...['--json', files.json, '--har', files.har, '--junit', files.junit, '--html', files.html],
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Console: the failure, marked, with its reason; the stale waiver; the verdict.
    expect(run.stdout).toContain('~ waived: response_schema_conformance · policy_pods');
    expect(run.stdout).toContain(`waiver:   ${FAULT_REASON} (does not fail the run)`);
    expect(run.stdout).toContain('warning: waiver matched no failure: lifecycle · policy_update (UPD-7');
    expect(run.stdout).toMatch(/^CONFORMS · \d+ failure\(s\) waived \(response_schema_conformance\)/m);
    expect(run.stdout).toMatch(/^response_schema_conformance\s+waived\s/m);
    // The target got the header on every request; no output holds its value.
    expect([...tenants.keys()]).toEqual([SECRET]);
    const read = (path: string) => readFileSync(path, 'utf8');
    const outputs = { console: run.stdout, json: read(files.json), har: read(files.har), junit: read(files.junit), html: read(files.html) };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).not.toContain(SECRET);
      expect(text, name).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 12));
      expect(text, name).not.toContain(TOKEN);
    }
    // JSON: the library's result.
    const result = JSON.parse(outputs.json) as {
      exitCode: number;
      verdict: string;
      requests: number;
      counts: { waived: number; failed: number };
      rules: { id: string; state: string; failures: { waived?: string; curl?: string }[] }[];
      waivers: { rule: string; status: string; failures: number }[];
    };
    expect(result).toMatchObject({ exitCode: 0, verdict: 'conforms', counts: { waived: 1, failed: 0 } });
    const schemaRule = result.rules.find((r) => r.id === 'response_schema_conformance');
    expect(schemaRule?.state).toBe('waived');
    expect(schemaRule?.failures[0]?.waived).toBe(FAULT_REASON);
    expect(schemaRule?.failures[0]?.curl).toContain(`-H "X-Tenant: $CONTRACT_HEADER_X_TENANT"`);
    expect(result.waivers.map((w) => [w.rule, w.status])).toEqual([
      ['response_schema_conformance', 'applied'],
      ['lifecycle', 'unmatched'],
    ]);
    expect(result.waivers[0]?.failures).toBeGreaterThan(0);
    // HAR 1.2: every exchange of the run, the header's value masked.
    const har = JSON.parse(outputs.har) as { log: HarLogShape };
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator.name).toBe('cedana-policy-contract');
    expect(har.log.comment).toMatch(/secrets masked/);
    expect(har.log.entries).toHaveLength(result.requests);
    for (const entry of har.log.entries) {
      expect(Date.parse(entry.startedDateTime)).not.toBeNaN();
      expect(entry.request.url.startsWith(server.url)).toBe(true);
      expect(entry.request.headers).toContainEqual({ name: 'X-Tenant', value: '$CONTRACT_HEADER_X_TENANT' });
      expect(entry.response.content).toHaveProperty('mimeType');
      expect(entry.timings.wait).toBeGreaterThanOrEqual(0);
    }
    expect(har.log.entries.some((e) => e.request.postData?.mimeType === 'application/json')).toBe(true);
    // JUnit: skipped with the reason; HTML: the cell and the failure marked waived.
    expect(outputs.junit).toContain(`name="response_schema_conformance"`);
    expect(outputs.junit).toContain(`<skipped message="waived: ${FAULT_REASON}"/>`);
    expect(outputs.html).toMatch(/data-rule="response_schema_conformance"[^\n]*data-state="waived"/);
    expect(outputs.html).toContain('data-waived="true"');
  });

  it('--insecure trusts the certificate without --ca-cert, and warns', async () => {
    const run = await gate('--insecure', '--rules', 'status_code_conformance', '--model-runs', '0');
    expect(run.stderr).toContain("warning: --insecure: the target's TLS certificate is not verified");
    expect(run.code).toBe(0);
  });

  it('with neither, the certificate is a set-up problem that names the options (exit 2)', async () => {
    const run = await gate('--rules', 'status_code_conformance');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach https:\/\/127\.0\.0\.1:\d+: .*certificate.*--ca-cert FILE.*--insecure/);
  });

  it('a malformed waivers file is a set-up problem, in one line (exit 2)', async () => {
    const bad = join(dir, 'bad-waivers.json');
    writeFileSync(bad, JSON.stringify({ waivers: [{ rule: 'no_such_rule', reason: '' }] }));
    const run = await gate('--insecure', '--waivers', bad);
    expect(run.code).toBe(2);
    const line = run.stderr.split('\n').find((l) => l.startsWith('contract: invalid'));
    expect(line).toMatch(
      /^contract: invalid waivers file .*bad-waivers\.json: \/waivers\/0\/rule must be one of .*lifecycle.*; \/waivers\/0\/reason/,
    );
  });
});

describe('waivers and --exclude-rules through the library', { timeout: 120_000 }, () => {
  const judge = async (options: Partial<Parameters<typeof runContract>[0]>) => {
    const server = await startReferenceServer({ fault: 'pod_missing_status', token: TOKEN });
    try {
      return await runContract({ baseUrl: server.url, token: TOKEN, profile: REFERENCE_PROFILE, fuzzRuns: 0, modelRuns: 0, ...options });
    } finally {
      await server.close();
    }
  };

  it('an expired waiver waives nothing: the failure counts, and the waiver is reported as expired', async () => {
    const result = await judge({ waivers: [{ rule: 'response_schema_conformance', reason: 'old', expires: '2020-01-31' }] });
    expect(result.exitCode).toBe(1);
    expect(result.rules.find((r) => r.id === 'response_schema_conformance')?.state).toBe('failed');
    expect(result.waivers).toMatchObject([{ status: 'expired' }]);
    expect(result.waivers?.[0]?.failures).toBeGreaterThan(0);
    expect(result.report).toMatch(
      /warning: waiver expired on 2020-01-31, it waives nothing \(\d+ failure\(s\) count\): response_schema_conformance \(old\)/,
    );
  });

  it('a check that does not hold for the failure waives nothing', async () => {
    const result = await judge({ waivers: [{ rule: 'response_schema_conformance', check: 'timestamp', reason: 'other field' }] });
    expect(result.exitCode).toBe(1);
    expect(result.waivers).toMatchObject([{ status: 'unmatched', failures: 0 }]);
  });

  it('--exclude-rules skips the rule, reason "excluded", and its failures are not judged', async () => {
    const result = await judge({ excludeRules: ['response_schema_conformance'] });
    expect(result.rules.find((r) => r.id === 'response_schema_conformance')).toMatchObject({ state: 'skipped', reason: 'excluded' });
    expect(result.exitCode).toBe(0);
  });
});

describe('--header values are masked like the token, whatever the encoding', () => {
  let echo: Server;
  beforeAll(async () => {
    // A target that echoes the header back, base64- and percent-encoded.
    echo = createServer((req, res) => {
      const value = String(req.headers['x-api-key'] ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ b64: Buffer.from(`key=${value}`).toString('base64'), pct: encodeURIComponent(value), raw: value }));
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

  it('in the exchange the suite keeps, its curl line and its headers (a target echoing it raw, percent- or base64-encoded)', async () => {
    const key = 'k/+ey s3cret=value';
    const client = new ApiClient({
      baseUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
      token: TOKEN,
      runId: 'r',
      requestTimeoutMs: 5_000,
      maxResponseBytes: 1_000_000,
      headers: { 'X-Api-Key': key },
    });
    const exchange = await client.send({ operationId: 'policy_list', method: 'GET', path: '/v2/policy/list' });
    // What the suite keeps of an exchange once judged (the parsed body, unmasked, only judges see).
    const kept = JSON.stringify(keptExchange(exchange));
    expect(kept).not.toContain('s3cret');
    expect(kept).not.toContain(Buffer.from(`key=${key}`).toString('base64').slice(4, 16));
    expect(exchange.response.text).toContain('"raw":"$CONTRACT_HEADER_X_API_KEY"');
    expect(exchange.request.headers['X-Api-Key']).toBe('$CONTRACT_HEADER_X_API_KEY');
    expect(exchange.curl).toContain('-H "X-Api-Key: $CONTRACT_HEADER_X_API_KEY"');
  });
});

interface HarLogShape {
  version: string;
  creator: { name: string };
  comment: string;
  entries: {
    startedDateTime: string;
    request: { url: string; headers: { name: string; value: string }[]; postData?: { mimeType: string } };
    response: { status: number; content: { mimeType: string } };
    timings: { wait: number };
  }[];
}
