import { PassThrough } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { byteSize, failRate, timerMs, token } from '../../src/cli-options.js';
import { parseDelay } from '../../src/http/controls/delay.js';
import { parsePrefer } from '../../src/http/controls/prefer.js';
import { createLogger } from '../../src/http/logging/logger.js';
import { mockApp } from '../helpers/mock-app.js';

const entry = {
  time: '2026-11-29T10:00:00.000Z',
  session: null,
  method: 'GET',
  path: '/v2/policy/list',
  operationId: 'policy_list',
  status: 200,
  durationMs: 1.25,
  problem: null,
};

function capture(format: 'line' | 'json', quiet = false) {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  return { logger: createLogger(format, quiet, { out, err }), text };
}

describe('request logs', () => {
  it('default: one concise line per request', () => {
    const { logger, text } = capture('line');
    logger.request(entry);
    logger.request({ ...entry, status: 400, problem: 'cluster_id is required', session: 'ci-1' });
    expect(text.out).toBe('GET /v2/policy/list 200 1.3ms\nGET /v2/policy/list 400 1.3ms [ci-1] - cluster_id is required\n');
  });

  it('--log-format json: one JSON object per line (pino)', async () => {
    const { logger, text } = capture('json');
    logger.request(entry);
    await new Promise((resolve) => setImmediate(resolve));
    const line = JSON.parse(text.out.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request',
      method: 'GET',
      path: '/v2/policy/list',
      status: 200,
      durationMs: 1.25,
      startedAt: entry.time,
    });
  });

  it('--quiet: no request lines, but our own errors still show', () => {
    const { logger, text } = capture('line', true);
    logger.request(entry);
    logger.error('!! broke');
    expect(text.out).toBe('');
    expect(text.err).toBe('!! broke\n');
  });
});

describe('the request log of a running app', () => {
  it("leaves out the inspector's version poll and health probes, unless refused, and keeps what a person did", async () => {
    const { logger, text } = capture('line');
    const mock = await mockApp({ logger, adminToken: 'admin-secret' });
    const admin = { Authorization: 'Bearer admin-secret' };
    for (let i = 0; i < 3; i++) {
      await request(mock.app).get('/__admin/version').set(admin).expect(200);
      await request(mock.app).get('/__admin/health').expect(200);
    }
    await mock.get('/v2/policy/list').expect(200);
    await request(mock.app).get('/__admin/version').expect(401); // a refused poll says something
    await new Promise((resolve) => setImmediate(resolve));
    const lines = text.out.trim().split('\n');
    expect(lines.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual(['GET /v2/policy/list 200', 'GET /__admin/version 401']);
  });
});

describe('flag values', () => {
  it('--delay takes MS or MIN-MAX', () => {
    expect(parseDelay('250')).toEqual({ min: 250, max: 250 });
    expect(parseDelay('100-500')).toEqual({ min: 100, max: 500 });
    expect(() => parseDelay('500-100')).toThrowError('maximum below its minimum');
    expect(() => parseDelay('fast')).toThrowError('MS or MIN-MAX');
    // The bound of Prefer: delay, for every route into the delay (24.8 days, or Infinity, before).
    expect(parseDelay('60000')).toEqual({ min: 60_000, max: 60_000 });
    expect(() => parseDelay('2147483647')).toThrowError('at most 60000 ms');
    expect(() => parseDelay('9'.repeat(400))).toThrowError('at most 60000 ms');
  });

  it('--tick takes no more than a Node timer can wait (longer ones fired every millisecond)', () => {
    expect(timerMs('2147483647')).toBe(2_147_483_647);
    expect(() => timerMs('2147483648')).toThrowError('at most 2147483647 ms');
    expect(() => timerMs('0')).toThrowError('≥ 1');
  });

  it('--fail-rate takes a rate for all, or OPERATION=RATE, repeatably', () => {
    expect(failRate('0.1')).toEqual({ all: 0.1 });
    expect(failRate('policy_create=0.5', failRate('0.1'))).toEqual({ all: 0.1, byOperation: { policy_create: 0.5 } });
    expect(() => failRate('1.5')).toThrowError('from 0 to 1');
    expect(() => failRate('often')).toThrowError('from 0 to 1');
  });

  it('--body-limit takes a size Express understands', () => {
    expect(byteSize('512kb')).toBe('512kb');
    expect(byteSize('2048')).toBe('2048');
    expect(() => byteSize('banana')).toThrowError('a size like 512kb');
  });

  it('--token and --admin-token refuse an empty value', () => {
    expect(token('s3cret')).toBe('s3cret');
    expect(() => token('')).toThrowError('must not be empty');
    expect(() => token('  ')).toThrowError('must not be empty');
  });

  it('Prefer is parsed like RFC 7240 lists', () => {
    expect(parsePrefer('code=500, delay=20')).toEqual({ code: 500, delay: 20, invalid: [] });
    expect(parsePrefer('return=minimal; code="404"')).toEqual({ code: 404, invalid: [] });
    expect(parsePrefer('code=abc')).toEqual({ invalid: ['code=abc'] });
  });
});

describe('CORS', () => {
  it('allows any origin by default and only the named ones with --cors-origin', async () => {
    const open = await mockApp();
    const preflight = (app: typeof open.app, origin: string) =>
      request(app)
        .options('/v2/policy/list')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
    expect((await preflight(open.app, 'http://anything.test')).headers['access-control-allow-origin']).toBe('*');
    const narrow = await mockApp({ corsOrigins: ['http://localhost:5173'] });
    expect((await preflight(narrow.app, 'http://localhost:5173')).headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect((await preflight(narrow.app, 'http://evil.test')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('never opens /__admin to any web page: only to the origins named with --cors-origin', async () => {
    const adminPreflight = (app: Awaited<ReturnType<typeof mockApp>>['app'], origin: string) =>
      request(app).options('/__admin/state').set('Origin', origin).set('Access-Control-Request-Method', 'PUT');
    const open = await mockApp();
    const refused = await adminPreflight(open.app, 'http://evil.test');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(
      (await request(open.app).get('/__admin/state').set('Origin', 'http://evil.test')).headers['access-control-allow-origin'],
    ).toBeUndefined();
    const narrow = await mockApp({ corsOrigins: ['http://localhost:5173'] });
    expect((await adminPreflight(narrow.app, 'http://localhost:5173')).headers['access-control-allow-origin']).toBe(
      'http://localhost:5173',
    );
  });
});
