import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observe, type ObserveHandle } from '../../contract-tests/observe/observe.js';
import { createApp } from '../../src/app.js';

// A staging backend behind TLS with its own CA: observe mode trusts it with --ca-cert (or
// --insecure), and without either refuses it as a set-up problem rather than passing it through.

const TOKEN = 'observe-tls-token-9d1c';

describe('observe mode in front of a TLS upstream with a self-signed certificate', { timeout: 60_000 }, () => {
  let dir: string;
  let server: Server;
  let upstream: string;
  const proxies: ObserveHandle[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'observe-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'],
        ...['-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
      ],
      { stdio: 'ignore' },
    );
    const app = await createApp({ auth: { token: TOKEN } });
    server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    upstream = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  const listThrough = async (options: { caCert?: string; insecure?: boolean }) => {
    const proxy = await observe({ upstream, port: 0, token: TOKEN, ...options });
    proxies.push(proxy);
    const res = await fetch(`${proxy.url}/v2/policy/list`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    return { status: res.status, body: await res.json(), result: proxy.results() };
  };

  it('with --ca-cert: the answers pass through and are judged', async () => {
    const { status, body, result } = await listThrough({ caCert: join(dir, 'cert.pem') });
    expect(status).toBe(200);
    expect(Array.isArray(body)).toBe(true);
    expect(result.verdict).toBe('conforms');
  });

  it('with --insecure: the same', async () => {
    const { status, result } = await listThrough({ insecure: true });
    expect(status).toBe(200);
    expect(result.verdict).toBe('conforms');
  });

  it('with neither: the client gets a 502 ApiError and the run is a set-up problem naming the certificate', async () => {
    const { status, body, result } = await listThrough({});
    expect(status).toBe(502);
    expect(body).toMatchObject({ code: '502' });
    expect(result.verdict).toBe('setup-error');
    expect(result.setupProblems.join(' ')).toMatch(/certificate/i);
  });
});
