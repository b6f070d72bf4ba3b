import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../report/html-report.js';
import { escapeXml } from '../report/junit.js';
import { printable } from '../printable.js';
import { echoingAuthorizationEscaped, injecting, startHostileServer, type HostileServer } from './hostile-servers.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { runCli } from './run-node.js';
import { xmlProblem } from './xml-problem.js';

const TOKEN = 'ghp_ContractSuiteLeakCanary0123456789';
// What a terminal or an XML parser must never get raw: ESC, NUL, other C0, DEL, C1, U+FFFE/U+FFFF, bidi.
const NASTY = '\u001b[2J\u0000\u0007\u007f\u0085\ufffe\uffff\u202e';
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e\ufffe\uffff]/;

/** Refuses every request, echoing the bearer token and control characters in a body that is not quite JSON. */
const echoing = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
  const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  res
    .writeHead(400, { 'Content-Type': 'application/json' })
    .end(`{"message":"token ${token} refused ${NASTY}","code":"400","details":null}`);
};

/** How echoingAuthorizationEscaped spells the token (the base64 text: the characters only its bytes decide). */
function spellingsSent(token: string): string[] {
  const uEscape = (chars: RegExp, upper: boolean) =>
    token.replace(chars, (ch) => `\\u${ch.charCodeAt(0).toString(16)[upper ? 'toUpperCase' : 'toLowerCase']().padStart(4, '0')}`);
  const prefix = Buffer.from('{"authorization":"Bearer ');
  const encoded = Buffer.concat([prefix, Buffer.from(token)]).toString('base64');
  const base64 = encoded.slice(Math.ceil((8 * prefix.length) / 6), Math.floor((8 * (prefix.length + token.length)) / 6));
  return [token, token.replace(/\//g, '\\/'), uEscape(/[+&<>']/g, true), uEscape(/[&<>]/g, false), encodeURIComponent(token), base64];
}

describe('reports never leak the token and are always printable and well-formed', { timeout: 30_000 }, () => {
  let dir: string;
  let server: HostileServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-safety-'));
    server = await startHostileServer(echoing);
  });
  const REFERENCE_PROFILE_FILE = () => {
    const path = join(dir, 'profile.json');
    writeFileSync(path, JSON.stringify(REFERENCE_PROFILE));
    return path;
  };
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('against a target that echoes the token and control characters back', async () => {
    const profile = join(dir, 'profile.json');
    const junit = join(dir, 'report.xml');
    const html = join(dir, 'report.html');
    writeFileSync(profile, JSON.stringify(REFERENCE_PROFILE));
    const { code, stdout, stderr } = await runCli([
      '--base-url',
      server.url,
      '--token',
      TOKEN,
      '--profile',
      profile,
      '--fuzz-runs',
      '0',
      '--expect-auth',
      '--junit',
      junit,
      '--html',
      html,
    ]);
    expect(code, stderr).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    const page = readFileSync(html, 'utf8');
    for (const text of [stdout, stderr, xml, page]) expect(text).not.toContain(TOKEN);
    expect(page).toContain('Bearer $CONTRACT_TOKEN');
    expect(page).toContain('token $CONTRACT_TOKEN refused');
    expect(page).not.toMatch(UNPRINTABLE);
    expect(page).toContain('\\u001b[2J\\u0000');
    expect(stdout).toContain('-H "Authorization: Bearer $CONTRACT_TOKEN"');
    expect(stdout).toContain('token $CONTRACT_TOKEN refused');
    expect(xml).toContain('Bearer $CONTRACT_TOKEN');
    expect(stdout + stderr).not.toMatch(UNPRINTABLE);
    expect(stdout).toContain('\\u001b[2J\\u0000');
    expect(xmlProblem(xml)).toBeUndefined();
  });

  it('masks the token however the target escapes it: PHP, .NET and Go JSON encoders, a URL, base64', async () => {
    // Every character an encoder may escape: `/` (PHP), `+` and `'` (.NET), `&`, `<` and `>` (Go, .NET).
    const token = "ghp_Leak/Canary+Token&0123<456>789'x";
    const hostile = await startHostileServer(echoingAuthorizationEscaped);
    try {
      const junit = join(dir, 'escaped.xml');
      const html = join(dir, 'escaped.html');
      const args = ['--base-url', hostile.url, '--token', token, '--profile', REFERENCE_PROFILE_FILE(), '--fuzz-runs', '0'];
      const { code, stdout, stderr } = await runCli([...args, '--expect-auth', '--junit', junit, '--html', html]);
      expect(code, stderr).toBe(1);
      const page = readFileSync(html, 'utf8');
      const xml = readFileSync(junit, 'utf8');
      for (const text of [stdout, stderr, xml, page]) for (const spelling of spellingsSent(token)) expect(text).not.toContain(spelling);
      // Masked on meaning: the body is still JSON (the page pretty-prints it) and reads the variable.
      expect(page).toContain(escapeHtml('"php": "Bearer $CONTRACT_TOKEN"'));
      expect(page).toContain(escapeHtml('"dotnet": "Bearer $CONTRACT_TOKEN"'));
      expect(stdout).toContain('"go":"Bearer $CONTRACT_TOKEN"');
      expect(xmlProblem(xml)).toBeUndefined();
    } finally {
      await hostile.close();
    }
  });

  it('a target cannot put markup into the HTML report: everything it sends is text', async () => {
    const hostile = await startHostileServer(injecting);
    try {
      const html = join(dir, 'injected.html');
      const { code, stderr } = await runCli([
        '--base-url',
        hostile.url,
        '--profile',
        REFERENCE_PROFILE_FILE(),
        '--fuzz-runs',
        '0',
        '--html',
        html,
      ]);
      expect(code, stderr).toBe(1);
      const page = readFileSync(html, 'utf8');
      // The page's own markup has no script and no img at all; the target's shows as text.
      expect(page).not.toMatch(/<script|<img|<a href='javascript/i);
      expect(page).toContain(escapeHtml('</pre></dd><script>window.__pwned = 1</script><img src=x onerror='));
      expect(page).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
      expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    } finally {
      await hostile.close();
    }
  });

  it('escapes every character XML 1.0 forbids, lone surrogates included', () => {
    const text = `a${NASTY}\ud800b\udfffc\u{1F600}\td\r\n`;
    expect(xmlProblem(`<?xml version="1.0"?><r a="${escapeXml(text)}">${escapeXml(text)}</r>`)).toBeUndefined();
    expect(printable(text)).toBe('a\\u001b[2J\\u0000\\u0007\\u007f\\u0085\\ufffe\\uffff\\u202e\\ud800b\\udfffc😀\\u0009d\\u000d\n');
  });
});
