import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { bytesOf, parseStrict } from '../../src/http/pipeline/json-body.js';
import { AUTH, mockApp } from '../helpers/mock-app.js';

// fixtures/requests/valid/create-pods-minimal.json
const valid = {
  cluster_id: '4247584f-b16a-42f7-8cc5-69c34a72638d',
  heartbeat_time: 60,
  resource_ids: ['824e1017-3e56-449d-a2bc-b29907c09931', '1111a6a5-b7cf-4338-95cd-70eefcefef7d'],
};

// Each as raw bytes: what a client may send with Content-Type: application/json.
const bodies: Array<[string, Buffer]> = [
  ['a valid create', Buffer.from(JSON.stringify(valid))],
  ['a valid create after a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(valid))])],
  ['a valid create after whitespace', Buffer.from(`\r\n\t ${JSON.stringify(valid)}`)],
  ['a string at the top', Buffer.from('"pods"')],
  ['a number after whitespace', Buffer.from('  42')],
  ['whitespace only', Buffer.from('   ')],
  ['true', Buffer.from('true')],
  ['broken JSON', Buffer.from('{"heartbeat_time": 30,')],
  ['a trailing comma', Buffer.from('{"heartbeat_time": 30,}')],
  ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ['nesting deeper than the limit', Buffer.from(`${'['.repeat(1001)}${']'.repeat(1001)}`)],
  ['an inexact number', Buffer.from('{"heartbeat_time": 9007199254740993}')],
  ['a number too long', Buffer.from(`{"heartbeat_time": 1${'0'.repeat(450)}}`)],
  ['an array at the top', Buffer.from('[1, 2]')],
];

describe('the API body reader (its own for plain JSON, body-parser for the rest)', () => {
  it.each(bodies)('answers %s exactly as body-parser does, and changes nothing when it refuses', async (_name, body) => {
    const mock = await mockApp();
    const send = (headers: Record<string, string>) =>
      request(mock.app)
        .post('/v2/policy/create')
        .set(AUTH)
        .set({ 'Content-Type': 'application/json', ...headers })
        .send(body);
    const before = mock.store.data.policies.length;
    const ours = await send({});
    // Content-Encoding: identity is read by body-parser itself (the reader leaves any encoding to it).
    const theirs = await send({ 'Content-Encoding': 'identity' });
    expect(ours.status).toBe(theirs.status);
    if (ours.status === 200) {
      expect(ours.text).toMatch(/^[0-9a-f-]{36}$/);
      expect(mock.store.data.policies.length).toBe(before + 2);
    } else {
      expect(ours.body).toEqual(theirs.body);
      expect(ours.body).toMatchObject({ code: String(ours.status), message: expect.any(String) });
      expect(mock.store.data.policies.length).toBe(before);
    }
  });

  it('leaves bodies over the limit to body-parser, which refuses them (as the 400 create declares)', async () => {
    const mock = await mockApp({ bodyLimit: '1kb' });
    const res = await mock.post('/v2/policy/create', { ...valid, note: 'x'.repeat(2000) });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('request body is larger than the limit of 1024 bytes');
  });

  it('reads a body sent in several chunks', async () => {
    const mock = await mockApp();
    const text = JSON.stringify({ ...valid, note: 'x'.repeat(50_000) });
    const res = await request(mock.app).post('/v2/policy/create').set(AUTH).set('Content-Type', 'application/json').send(text);
    // Within the reader's 64 KiB, over what one read of a socket brings.
    expect(text.length).toBeGreaterThan(32 * 1024);
    expect(text.length).toBeLessThan(64 * 1024);
    expect(res.status).toBe(200);
    expect(mock.store.policy(res.text)).toMatchObject({ heartbeatTime: 60, resourceIds: valid.resource_ids });
  });

  it('parses in strict mode and drops a byte order mark', () => {
    expect(parseStrict('\ufeff {"a":1}')).toEqual({ a: 1 });
    expect(() => parseStrict('"a"')).toThrow(SyntaxError);
    expect(() => parseStrict('')).toThrow(SyntaxError);
  });

  it('reads limits as body-parser does, and a limit it cannot read as none', () => {
    expect(bytesOf('1mb')).toBe(1024 ** 2);
    expect(bytesOf('512KB')).toBe(512 * 1024);
    expect(bytesOf('1.5kb')).toBe(1536);
    expect(bytesOf(100)).toBe(100);
    expect(bytesOf('lots')).toBe(0);
  });
});
