import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeXml } from '../junit.js';
import { printable } from '../printable.js';
import { startHostileServer, type HostileServer } from './hostile-servers.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { runNode } from './run-node.js';
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

const runCli = (args: string[]) => runNode(['--import', 'tsx', 'contract-tests/cli.ts', ...args]);

describe('reports never leak the token and are always printable and well-formed', { timeout: 30_000 }, () => {
  let dir: string;
  let server: HostileServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-safety-'));
    server = await startHostileServer(echoing);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('against a target that echoes the token and control characters back', async () => {
    const profile = join(dir, 'profile.json');
    const junit = join(dir, 'report.xml');
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
    ]);
    expect(code, stderr).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    for (const text of [stdout, stderr, xml]) expect(text).not.toContain(TOKEN);
    expect(stdout).toContain('-H "Authorization: Bearer $CONTRACT_TOKEN"');
    expect(stdout).toContain('token $CONTRACT_TOKEN refused');
    expect(xml).toContain('Bearer $CONTRACT_TOKEN');
    expect(stdout + stderr).not.toMatch(UNPRINTABLE);
    expect(stdout).toContain('\\u001b[2J\\u0000');
    expect(xmlProblem(xml)).toBeUndefined();
  });

  it('escapes every character XML 1.0 forbids, lone surrogates included', () => {
    const text = `a${NASTY}\ud800b\udfffc\u{1F600}\td\r\n`;
    expect(xmlProblem(`<?xml version="1.0"?><r a="${escapeXml(text)}">${escapeXml(text)}</r>`)).toBeUndefined();
    expect(printable(text)).toBe('a\\u001b[2J\\u0000\\u0007\\u007f\\u0085\\ufffe\\uffff\\u202e\\ud800b\\udfffc😀\\u0009d\\u000d\n');
  });
});
