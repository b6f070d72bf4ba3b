import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../index.js';
import { lineDiff } from '../report/line-diff.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

describe('the HTML report', { timeout: 30_000 }, () => {
  let dir: string;
  let server: ReferenceServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'contract-html-'));
    server = await startReferenceServer({ fault: 'update_ignored', token: REFERENCE_TOKEN });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('diffs lines: common ones kept, what was expected (-) before what came (+)', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
    ]);
    expect(lineDiff('', 'a')).toEqual([
      { op: '-', text: '' },
      { op: '+', text: 'a' },
    ]);
    expect(lineDiff('a\n'.repeat(500), 'b')).toBeUndefined();
  });

  it('is one file with the verdict, the rules × operations matrix and each failure with its body diff and curl line', async () => {
    const htmlPath = join(dir, 'report.html');
    const result = await runContract({ baseUrl: server.url, token: REFERENCE_TOKEN, profile: REFERENCE_PROFILE, fuzzRuns: 0, htmlPath });
    expect(result.verdict).toBe('does-not-conform');
    const page = readFileSync(htmlPath, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    // Self-contained: nothing fetched, nothing run.
    expect(page).not.toMatch(/<script|<link|<img|src=|url\(/i);
    expect(page).toContain('<div id="verdict" class="verdict fails">DOES NOT CONFORM</div>');
    expect(page).toMatch(/<tr data-rule="lifecycle">.*<td class="cell-fail" data-state="failed" title="lifecycle: fail">/);
    expect(page).toMatch(
      /<tr data-rule="ignored_auth">.*skipped: auth is not expected.*<td class="cell-skip" data-state="skipped" title="ignored_auth: not run">skipped<\/td>/,
    );
    expect(page).toMatch(
      /<tr data-rule="status_code_conformance"><td class="rule"><code>status_code_conformance<\/code><small>judged \d+ exchanges<\/small>/,
    );
    expect(page).toContain('<section class="rule" id="rule-lifecycle">');
    // The update's heartbeat was 900; the target kept 300.
    expect(page).toContain('<span class="del">-   &quot;input&quot;: 900,</span><span class="ins">+   &quot;input&quot;: 300,</span>');
    expect(page).toContain('-H &quot;Authorization: Bearer $CONTRACT_TOKEN&quot;');
    expect(page).not.toContain(REFERENCE_TOKEN);
  });

  it('says why when the run could not start', async () => {
    const htmlPath = join(dir, 'setup.html');
    const result = await runContract({ baseUrl: 'http://127.0.0.1:9', profile: REFERENCE_PROFILE, htmlPath });
    expect(result.verdict).toBe('setup-error');
    const page = readFileSync(htmlPath, 'utf8');
    expect(page).toContain('SET-UP ERROR');
    expect(page).toContain('cannot reach http://127.0.0.1:9');
  });
});
