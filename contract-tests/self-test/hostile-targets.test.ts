import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../index.js';
import { answerAfter, listingNewIds, startHostileServer, stallAfterHeaders, streamHuge } from './hostile-servers.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { runCli } from './run-node.js';
import { xmlProblem } from './xml-problem.js';

const MiB = 1024 * 1024;

describe('a hostile or broken target cannot stop the suite from reporting', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contract-hostile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const profileFile = () => {
    const path = join(dir, 'profile.json');
    writeFileSync(path, JSON.stringify(REFERENCE_PROFILE));
    return path;
  };

  it('reads at most the size cap of a 64 MiB body, cancels the rest, and reports the cap', async () => {
    const server = await startHostileServer(streamHuge(64 * MiB));
    try {
      const result = await runContract({
        baseUrl: server.url,
        profile: REFERENCE_PROFILE,
        fuzzRuns: 0,
        maxResponseBytes: MiB,
        rules: ['lifecycle', 'response_schema_conformance'],
      });
      expect(result.exitCode).toBe(1);
      const schema = result.rules.find((r) => r.id === 'response_schema_conformance');
      expect(schema?.failures[0]?.actual).toContain(`body exceeded ${MiB} bytes`);
      expect(result.report).toContain(`body exceeded ${MiB} bytes`);
      // Cancelled, not drained: the server never got far into any of its 64 MiB.
      expect(server.maxBytesWritten()).toBeLessThan(16 * MiB);
    } finally {
      await server.close();
    }
  });

  it('a target that stops answering is a set-up problem: it ends the run after a few timeouts in a row, reports written', async () => {
    const server = await startHostileServer(stallAfterHeaders);
    const junitPath = join(dir, 'stall.xml');
    const htmlPath = join(dir, 'stall.html');
    try {
      const result = await runContract({
        baseUrl: server.url,
        profile: REFERENCE_PROFILE,
        fuzzRuns: 0,
        // Long enough for the headers to arrive on a busy machine (the target is reached), short
        // enough that three timeouts are nothing like the deadline.
        requestTimeoutMs: 1_000,
        junitPath,
        htmlPath,
      });
      expect(result.verdict).toBe('setup-error');
      expect(result.exitCode).toBe(2);
      expect(result.setupError).toBe(
        'the target stopped answering: 3 requests in a row got no complete answer within the request timeout (1 s)',
      );
      // Three timeouts of 1 s: nothing like the 300 s deadline.
      expect(result.durationMs).toBeLessThan(10_000);
      expect(result.report).toContain('SET-UP PROBLEM (the target stopped answering');
      const xml = readFileSync(junitPath, 'utf8');
      expect(xmlProblem(xml)).toBeUndefined();
      expect(xml).toContain('<testcase classname="contract" name="set-up">');
      expect(xml).toContain('errors="1"');
      expect(readFileSync(htmlPath, 'utf8')).toContain('SET-UP ERROR');
    } finally {
      await server.close();
    }
  });

  // These two wait on the clock (the default timeouts; a 30 s deadline), not the CPU: run side by side.
  it.concurrent(
    'with the defaults, a silent target ends the CLI within a minute (exit 2, reports written), not at the 300 s deadline',
    { timeout: 90_000 },
    async () => {
      const server = await startHostileServer(stallAfterHeaders);
      const junit = join(dir, 'silent-cli.xml');
      const html = join(dir, 'silent-cli.html');
      try {
        const started = Date.now();
        const { code, stdout, stderr } = await runCli([
          '--base-url',
          server.url,
          '--profile',
          profileFile(),
          '--junit',
          junit,
          '--html',
          html,
        ]);
        const seconds = (Date.now() - started) / 1000;
        expect(code, stderr).toBe(2);
        expect(seconds).toBeLessThan(60);
        expect(stderr).toContain('contract: set-up problem: the target stopped answering');
        expect(stdout).toContain('SET-UP PROBLEM');
        expect(readFileSync(junit, 'utf8')).toContain('name="set-up"');
        expect(readFileSync(html, 'utf8')).toContain('SET-UP ERROR');
      } finally {
        await server.close();
      }
    },
  );

  it.concurrent(
    'what the CLI keeps of a target is bounded: new ids in every 7 MB list do not exhaust a 256 MB heap, reports are written',
    { timeout: 120_000 },
    async () => {
      const server = await startHostileServer(listingNewIds(7 * MiB));
      const junit = join(dir, 'bloat.xml');
      const html = join(dir, 'bloat.html');
      try {
        const { code, stdout, stderr } = await runCli(
          [
            '--base-url',
            server.url,
            '--profile',
            profileFile(),
            '--fuzz-runs',
            '0',
            '--model-runs',
            '0',
            '--deadline',
            '30',
            '--junit',
            junit,
            '--html',
            html,
          ],
          ['--max-old-space-size=256'],
        );
        expect(stderr).not.toContain('heap out of memory');
        expect(code, stderr.slice(-2000)).toBe(1);
        expect(stdout).toContain('DOES NOT CONFORM');
        expect(xmlProblem(readFileSync(junit, 'utf8'))).toBeUndefined();
        const page = readFileSync(html, 'utf8');
        expect(page).toContain('id="verdict"');
        // Thousands of ids appeared: a few are named, the rest counted.
        expect(stdout).toMatch(/appeared during the run without a successful create \(not deleted\): [^\n]* and \d+ more/);
        expect(page.length).toBeLessThan(2 * MiB);
      } finally {
        await server.close();
      }
    },
  );

  it('a slow target that answers stops at the deadline, and rules left are reported as not run, in JUnit too', async () => {
    const server = await startHostileServer(answerAfter(150));
    const junitPath = join(dir, 'slow.xml');
    try {
      const result = await runContract({
        baseUrl: server.url,
        profile: REFERENCE_PROFILE,
        fuzzRuns: 0,
        requestTimeoutMs: 2_000,
        deadlineMs: 2_000,
        junitPath,
      });
      expect(result.stoppedBecause).toBe("the run's deadline (2 s) was reached");
      const notRun = result.rules.filter((r) => r.state === 'skipped' && r.reason?.includes('deadline'));
      expect(notRun.length).toBeGreaterThan(0);
      expect(result.report).toMatch(/not run \((stopped while it ran: )?the run's deadline \(2 s\) was reached\)/);
      const xml = readFileSync(junitPath, 'utf8');
      expect(xmlProblem(xml)).toBeUndefined();
      expect(xml).toContain('<skipped message="the run&apos;s deadline (2 s) was reached"/>');
    } finally {
      await server.close();
    }
  });
});
