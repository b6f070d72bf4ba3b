// The banner of a mock listening on every interface (a demo VM, a container): the URL it prints
// must be one a colleague can open, and it must say that any token gets in.
import { networkInterfaces } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, startCli } from '../helpers/spawn-mock.js';

afterAll(killAll);

const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && !a.internal && a.family === 'IPv4');

describe('the banner on --host 0.0.0.0', () => {
  it('prints a reachable URL, the loopback one, and that any token is accepted', { timeout: 60_000 }, async () => {
    const mock = await startCli(['--host', '0.0.0.0', '--admin-token', 'banner-admin', '--port', '0'], { timeoutMs: 30_000 });
    const printed = new URL(mock.banner.url);
    expect(printed.hostname).toBe(external?.address ?? 'localhost');
    expect(mock.stdout()).not.toContain('0.0.0.0:');
    expect(mock.banner.curl).toContain(`${mock.banner.url}/v2/policy/list`);
    expect(mock.stdout()).toContain(`on this machine also http://127.0.0.1:${mock.banner.port}`);
    expect(mock.stdout()).toMatch(/auth: any bearer token is accepted \(set --token to require one\)/);
    // Requests stay on loopback: the printed address is only read, never called.
    const health = await fetch(`http://127.0.0.1:${mock.banner.port}/__admin/health`);
    expect(health.status).toBe(200);
    await mock.stop();
  });
});
