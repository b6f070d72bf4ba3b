// Nobody in where they don't belong, no forged log line, every answer an ApiError (issue
// "Hardening", findings 6, 10, 11, 12, 16, 17, 18).
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { readFixture } from '../helpers/fixtures.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';

const body = readFixture<Record<string, unknown>>('requests/valid/create-pods.json');

describe('cross-site requests to /__admin', () => {
  it('refuses a text/plain reset from a foreign web page, changing nothing', async () => {
    const mock = await mockApp();
    await mock.post('/v2/policy/create', body);
    const before = JSON.stringify(mock.store.data);
    const res = await request(mock.app)
      .post('/__admin/reset')
      .set('Origin', 'http://evil.example')
      .set('Content-Type', 'text/plain')
      .send('{}');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: '403', details: [{ path: '/headers/origin', message: 'is not an allowed origin' }] });
    expect(JSON.stringify(mock.store.data)).toBe(before);
  });

  it.each(['http://evil.example', 'null'])('refuses every change from origin %s: reset, state, sessions, journal', async (origin) => {
    const mock = await mockApp();
    for (const [method, path] of [
      ['post', '/reset'],
      ['put', '/state'],
      ['delete', '/sessions'],
      ['delete', '/requests'],
    ] as const) {
      const res = await request(mock.app)[method](`/__admin${path}`).set('Origin', origin);
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });

  it('refuses a body that is not JSON, even without an Origin', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).post('/__admin/reset').set('Content-Type', 'text/plain').send('{"seed": 3}');
    expect(res.status).toBe(415);
    expect(mock.store.meta.seed).toBe(1337);
  });

  it("accepts changes from the mock's own pages and from --cors-origin origins", async () => {
    const mock = await mockApp({ corsOrigins: ['http://localhost:5173'] });
    const own = await request(mock.app).post('/__admin/reset').set('Host', 'localhost:4010').set('Origin', 'http://localhost:4010');
    expect(own.status).toBe(200);
    const named = await request(mock.app).post('/__admin/reset').set('Origin', 'http://localhost:5173').send({ seed: 3 });
    expect(named.status).toBe(200);
    expect(named.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('bounds an inflated snapshot by --admin-body-limit (a gzip bomb is refused)', async (ctx) => {
    const server = await startServer({ adminBodyLimit: '1mb' });
    ctx.onTestFinished(() => server.close());
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(10_000);
    const res = await fetch(`${server.url}/__admin/state`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('413');
  });
});

describe('DNS rebinding: the Host header', () => {
  it('refuses a name it was not told about, for admin and API alike', async () => {
    const mock = await mockApp();
    const admin = await request(mock.app).get('/__admin/state').set('Host', 'rebind.attacker.example:4010');
    expect(admin.status).toBe(403);
    expect(admin.body.message).toContain('--allowed-host rebind.attacker.example');
    expect((await mock.get('/v2/policy/list').set('Host', 'rebind.attacker.example:4010')).status).toBe(403);
  });

  it.each(['localhost:4010', '127.0.0.1:4010', '[::1]:4010', 'app.localhost', '10.1.2.3:80'])('answers Host %s', async (host) => {
    const mock = await mockApp();
    expect((await request(mock.app).get('/__admin/state').set('Host', host)).status).toBe(200);
  });

  it('answers names given with --allowed-host (a leading dot: subdomains too) and the listen host', async () => {
    const mock = await mockApp({ allowedHosts: ['mock.test', '.demo.example'], listenHost: 'devbox' });
    for (const host of ['mock.test', 'a.demo.example', 'demo.example:81', 'devbox:4010']) {
      expect((await request(mock.app).get('/__admin/state').set('Host', host)).status, host).toBe(200);
    }
    expect((await request(mock.app).get('/__admin/state').set('Host', 'other.test')).status).toBe(403);
    const all = await mockApp({ allowedHosts: ['all'] });
    expect((await request(all.app).get('/__admin/state').set('Host', 'anything.example')).status).toBe(200);
  });
});

describe('log lines cannot be forged', () => {
  it('escapes a newline in the path and control characters in an id: one request, one line', async () => {
    const mock = await mockApp();
    await mock.get('/v2/policy/x%0aDELETE%20%2Fv2%2Fpolicy%2Fdelete%20200%200.9ms/pods');
    await mock.del('/v2/policy/delete', { id: 'a\nDELETE /v2/policy/delete 200 0.9ms\u001b[2J' });
    await request(mock.app).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'x\tsession');
    expect(mock.lines.request).toHaveLength(3);
    // eslint-disable-next-line no-control-regex -- what must not be in a log line
    for (const line of mock.lines.request) expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(mock.lines.request[0]).toContain('got "x\\u000aDELETE /v2/policy/delete 200 0.9ms"');
    expect(mock.lines.request[2]).toContain('[x\\u0009session]');
  });
});

describe('what one error says is bounded', () => {
  it('answers 250,000 bad resource_ids with a short 400, and journals a short entry', async () => {
    const mock = await mockApp({ bodyLimit: '2mb' });
    const huge = { ...body, resource_ids: Array.from({ length: 250_000 }, () => ({})) };
    const res = await mock.post('/v2/policy/create', huge);
    expect(res.status).toBe(400);
    expect(res.text.length).toBeLessThan(32_000);
    expect(res.body.details).toHaveLength(50);
    expect(res.body.details[49]).toEqual({ path: '/', message: expect.stringMatching(/^and \d+ more problems$/) });
    expect(res.body.message).toMatch(/; and \d+ more problems$/);
    const [entry] = mock.journal.entries();
    expect(entry!.problem!.length).toBeLessThan(1100);
    // A large body is kept as its clipped text, never the body itself (journal entries stay small).
    expect(entry!.body!.length).toBeLessThanOrEqual(4096);
    expect(entry!.body).toMatch(/characters in all\)$/);
  });

  it('journals a small body as the JSON it was, read back as text when the journal is read', async () => {
    const mock = await mockApp();
    await mock.post('/v2/policy/create', body);
    const [entry] = mock.journal.entries();
    expect(entry!.body).toBe(JSON.stringify(body));
    expect(entry!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('keeps exactly --journal-size entries, the newest', async () => {
    const mock = await mockApp({ journalSize: 3 });
    for (let i = 0; i < 7; i++) await mock.get(`/v2/policy/list?i=${i}`);
    expect(mock.journal.entries().map((e) => e.path)).toEqual(['/v2/policy/list?i=4', '/v2/policy/list?i=5', '/v2/policy/list?i=6']);
  });
});

describe('every answer is an ApiError with a declared status', () => {
  it('answers a missing docs asset with a JSON 404', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).get('/docs/x/package.json');
    expect(res.status).toBe(404);
    expect(res.type).toBe('application/json');
    expect(res.body.code).toBe('404');
  });

  it('answers OPTIONS on an unknown path with a 404, and a preflight on a known one', async () => {
    const mock = await mockApp();
    const unknown = await request(mock.app)
      .options('/nope')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'GET');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('404');
    const known = await request(mock.app)
      .options('/v2/policy/list')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'GET');
    expect(known.status).toBe(204);
  });

  it('answers a wrong method on an admin route with 405 and Allow', async () => {
    const mock = await mockApp();
    const res = await request(mock.app).put('/__admin/reset');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.code).toBe('405');
    expect((await request(mock.app).post('/__admin/state')).headers.allow).toBe('GET, PUT');
  });

  it('refuses a UTF-16 body (which the depth check cannot read) with the 400 create declares', async () => {
    const mock = await mockApp();
    const deep = `{"a":${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const utf16 = Buffer.from(`\ufeff${deep}`, 'utf16le');
    const res = await request(mock.app)
      .post('/v2/policy/create')
      .set(AUTH)
      .set('Content-Type', 'application/json; charset=utf-16')
      .send(utf16);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('must be UTF-8');
  });
});

describe('a client that hangs up during Prefer: delay', () => {
  it('gets nothing made, and the request is journaled as closed by the client', async (ctx) => {
    const server = await startServer({ auth: {} });
    ctx.onTestFinished(() => server.close());
    const before = server.store.policies.length;
    const abort = AbortSignal.timeout(100);
    await expect(
      fetch(`${server.url}/v2/policy/create`, {
        method: 'POST',
        signal: abort,
        headers: { ...AUTH, 'Content-Type': 'application/json', Prefer: 'delay=400' },
        body: JSON.stringify(body),
      }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(server.store.policies).toHaveLength(before);
    const journal = (await (await fetch(`${server.url}/__admin/requests`)).json()) as Array<{
      status: number;
      problem: string;
      operationId: string;
    }>;
    expect(journal.at(-1)).toMatchObject({
      status: 499,
      operationId: 'policy_create',
      problem: 'the client closed the connection during the delay; nothing was done',
    });
  });
});

describe('printable', () => {
  it('writes every control character as \\uXXXX and leaves the rest', async () => {
    const { printable } = await import('../../src/http/logging/printable.js');
    expect(printable('a\nb\r\u001b[2J\u0000\u007f\u2028ü✓')).toBe('a\\u000ab\\u000d\\u001b[2J\\u0000\\u007f\\u2028ü✓');
  });
});

describe('the Host guard reads hosts as browsers send them', () => {
  it.each([
    ['[::1]evil.com', 403],
    ['[::1].evil.com', 403],
    ['[127.0.0.1]', 403],
    ['localhost.', 200],
    ['localhost.:4010', 200],
    ['::1', 200],
  ])('answers Host %s with %i', async (host, status) => {
    const mock = await mockApp();
    expect((await request(mock.app).get('/__admin/state').set('Host', host)).status).toBe(status);
  });

  it("answers an HTTP/1.1 request without Host itself (an ApiError, not Node's bare 400)", async (ctx) => {
    const server = await startServer({ auth: {} });
    ctx.onTestFinished(() => server.close());
    const { connect } = await import('node:net');
    const text = await new Promise<string>((resolve) => {
      let got = '';
      const socket = connect(server.port, '127.0.0.1', () => socket.write('GET /v2/policy/nope HTTP/1.1\r\nConnection: close\r\n\r\n'));
      socket.on('data', (chunk) => (got += chunk.toString()));
      socket.on('close', () => resolve(got));
    });
    expect(text).toMatch(/^HTTP\/1\.1 404/);
    expect(text).toMatch(/content-type: application\/json/i);
  });
});

describe('log lines cannot be made to read other than they are', () => {
  it('escapes bidi and invisible characters (Trojan Source)', async () => {
    const { printable } = await import('../../src/http/logging/printable.js');
    expect(printable('x\u202egnp.exe\u2066\u2069 \u200b\u061c\ufeff')).toBe('x\\u202egnp.exe\\u2066\\u2069 \\u200b\\u061c\\ufeff');
  });
});
