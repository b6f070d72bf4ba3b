import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContract } from '../index.js';
import { startHostileServer, stallAfterHeaders, streamHuge } from './hostile-servers.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { xmlProblem } from './xml-problem.js';

const MiB = 1024 * 1024;

describe('a hostile or broken target cannot stop the suite from reporting', { timeout: 30_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contract-hostile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('gives up on a stalled body after the request timeout, stops at the deadline, and still reports and writes JUnit', async () => {
    const server = await startHostileServer(stallAfterHeaders);
    const junitPath = join(dir, 'stall.xml');
    try {
      const result = await runContract({
        baseUrl: server.url,
        profile: REFERENCE_PROFILE,
        fuzzRuns: 0,
        requestTimeoutMs: 200,
        deadlineMs: 2_000,
        junitPath,
      });
      expect(result.stoppedBecause).toBe("the run's deadline (2 s) was reached");
      const notRun = result.rules.filter((r) => r.state === 'skipped' && r.reason?.includes('deadline'));
      expect(notRun.length).toBeGreaterThan(0);
      expect(result.report).toMatch(/not run \((stopped while it ran: )?the run's deadline \(2 s\) was reached\)/);
      const actuals = result.rules.flatMap((r) => r.failures.map((f) => f.actual));
      expect(actuals.some((a) => a.includes('no complete answer within 0.2 s'))).toBe(true);
      const xml = readFileSync(junitPath, 'utf8');
      expect(xmlProblem(xml)).toBeUndefined();
      expect(xml).toContain('<skipped message="the run&apos;s deadline (2 s) was reached"/>');
    } finally {
      await server.close();
    }
  });
});
