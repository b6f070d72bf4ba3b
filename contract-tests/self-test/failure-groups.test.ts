import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Failure } from '../failure.js';
import { Recorder } from '../recorder.js';
import { renderReport } from '../report/console-report.js';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

const failure = (expected: string, pointer?: string): Failure => ({
  rule: 'response_schema_conformance',
  operationId: 'policy_pods',
  expected,
  ...(pointer ? { schemaErrors: [{ pointer, message: "must have required property 'status'" }] } : {}),
});

describe('repeated failures are reported once per rule, operation and schema pointer', { timeout: 30_000 }, () => {
  it('groups by rule, operation and schema pointer (array indices alike), counting and naming the other expectations', () => {
    const recorder = new Recorder();
    recorder.fail(failure('a 200 body valid against PolicyPodResponse[]', '/0'));
    recorder.fail(failure('a 200 body valid against PolicyPodResponse[]', '/3'));
    recorder.fail(failure('another expectation', '/12'));
    recorder.fail(failure('a 200 body valid against PolicyPodResponse[]', '/0/name'));
    recorder.fail({ ...failure('no schema at all'), operationId: 'policy_jobs' });
    const groups = recorder.failures('response_schema_conformance');
    expect(groups.map((g) => [g.operationId, g.schemaErrors?.[0]?.pointer, g.repeats, g.alike])).toEqual([
      ['policy_pods', '/0', 3, ['another expectation']],
      ['policy_pods', '/0/name', undefined, undefined],
      ['policy_jobs', undefined, undefined, undefined],
    ]);
    expect(recorder.failureCount('response_schema_conformance')).toBe(5);
    expect(recorder.state('response_schema_conformance', 'policy_jobs')).toBe('failed');
  });

  describe('against a target that sends every error as text/plain', () => {
    let server: ReferenceServer;
    beforeAll(async () => {
      server = await startReferenceServer({ fault: 'errors_as_text_plain', token: REFERENCE_TOKEN });
    });
    afterAll(() => server.close());

    it('prints each group once with its count, and says how many exchanges each judge judged', async () => {
      const log: string[] = [];
      const report = await runAllRules({
        baseUrl: server.url,
        token: REFERENCE_TOKEN,
        profile: REFERENCE_PROFILE,
        expectAuth: false,
        fuzzRuns: 0,
        seed: 1,
        rules: ['negative_data_rejection', 'content_type_conformance'],
        log: (line) => log.push(line),
      });
      const text = renderReport(report);
      // Before grouping, policy_create's dozens of refusals were printed three times and counted.
      expect(text.match(/^✗ negative_data_rejection · policy_create/gm)).toHaveLength(1);
      expect(text).toMatch(/^✗ negative_data_rejection · policy_create · \d+ failures alike \(schema \/\), one shown$/m);
      expect(text).toContain('  also:     required field resource_ids missing → a declared 4xx (400) with an ApiError body');
      const rejection = report.results.find((r) => r.rule === 'negative_data_rejection');
      const create = rejection?.failures.filter((f) => f.operationId === 'policy_create') ?? [];
      expect(create).toHaveLength(1);
      expect(create[0]?.repeats).toBeGreaterThan(10);

      const judge = report.results.find((r) => r.rule === 'content_type_conformance');
      expect(judge?.exchangesJudged).toBeGreaterThan(100);
      expect(log).toContainEqual(
        expect.stringMatching(new RegExp(`^content_type_conformance: fail \\(judged ${judge?.exchangesJudged} exchanges, \\d+ ms\\)$`)),
      );
      expect(log.filter((line) => line.includes('(0 requests'))).toEqual([]);
    });
  });
});
