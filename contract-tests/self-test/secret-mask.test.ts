import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../secret-mask.js';

const TOKEN = 'tok/en+&<>\'"\\é😀 x';

/** Each character as one encoder or another may write it inside a JSON string. */
const jsonSpellings = (ch: string): string[] => {
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i).toString(16).padStart(4, '0'));
  const plain = JSON.stringify(ch).slice(1, -1);
  return [plain, units.map((u) => `\\u${u}`).join(''), units.map((u) => `\\u${u.toUpperCase()}`).join(''), ch === '/' ? '\\/' : plain];
};

/** Every string in a JSON value, keys included. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)])
      : [];

describe('maskSecret masks on meaning, not spelling', () => {
  it('a JSON body with the token spelled any way, character by character, stays JSON and holds no token in any string', () => {
    const chars = Array.from(TOKEN);
    fc.assert(
      fc.property(fc.array(fc.nat(3), { minLength: chars.length, maxLength: chars.length }), fc.string(), (choices, noise) => {
        const spelled = chars.map((ch, i) => jsonSpellings(ch)[choices[i] ?? 0]).join('');
        const body = `{"message":"Bearer ${spelled} ${JSON.stringify(noise).slice(1, -1)}","details":{"${spelled}":[1,"${spelled}"]}}`;
        const parsed = JSON.parse(maskSecret(body, TOKEN)) as unknown;
        for (const text of stringsOf(parsed)) expect(text).not.toContain(TOKEN);
        expect(JSON.stringify(parsed)).toContain('Bearer $CONTRACT_TOKEN');
      }),
    );
  });

  it('masks a JSON-escaped body inside another (nested escapes), percent-encoding in either case, HTML references, base64', () => {
    const inner = JSON.stringify({ auth: `Bearer ${TOKEN}` }).replace(/[+&<>]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
    const outer = JSON.stringify({ log: inner });
    const percent = encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (h, i: number) => (i % 2 ? h.toLowerCase() : h));
    const html = TOKEN.replace(/&/g, '&amp;').replace(/</g, '&#60;').replace(/>/g, '&#x3E;');
    const base64 = Buffer.from(`Bearer ${TOKEN}`).toString('base64');
    const base64url = Buffer.from(`{"a":"${TOKEN}"}`).toString('base64url');
    for (const text of [outer, percent, encodeURIComponent(encodeURIComponent(TOKEN)), html, base64, base64url]) {
      expect(maskSecret(text, TOKEN)).toContain('$CONTRACT_TOKEN');
    }
    expect(JSON.parse(JSON.parse(maskSecret(outer, TOKEN)).log as string)).toEqual({ auth: 'Bearer $CONTRACT_TOKEN' });
  });

  it('leaves text without the token as it is', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const clean = text.replace(/tok/g, '');
        expect(maskSecret(clean, TOKEN)).toBe(clean);
      }),
    );
  });

  it('masks a short token where it stands alone, and leaves the words it is a piece of', () => {
    const report = `curl -H 'Authorization: Bearer x' 'http://h/v2/policy/x/pods?t=x' -d '{"expected":"x","echo":"\\u0078"}'`;
    expect(maskSecret(report, 'x')).toBe(
      `curl -H 'Authorization: Bearer $CONTRACT_TOKEN' 'http://h/v2/policy/$CONTRACT_TOKEN/pods?t=$CONTRACT_TOKEN' -d '{"expected":"$CONTRACT_TOKEN","echo":"$CONTRACT_TOKEN"}'`,
    );
    expect(maskSecret('device dev-token dev', 'dev')).toBe('device $CONTRACT_TOKEN-token $CONTRACT_TOKEN');
  });
});
