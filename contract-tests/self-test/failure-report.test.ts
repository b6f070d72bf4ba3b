import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../report/curl.js';
import { renderFailure } from '../report/failure-text.js';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type ReferenceServer } from './reference-server.js';
import { REFERENCE_TOKEN } from './run-against-reference.js';

const sh = promisify(exec);

describe('a failure explains itself', { timeout: 30_000 }, () => {
  let server: ReferenceServer;
  beforeAll(async () => {
    server = await startReferenceServer({ fault: 'crash_on_bad_json', token: REFERENCE_TOKEN });
  });
  afterAll(() => server.close());

  it('names rule, operation, request, expectation, response and schema error, with a curl line that reproduces it', async () => {
    const report = await runAllRules({
      baseUrl: server.url,
      token: REFERENCE_TOKEN,
      profile: REFERENCE_PROFILE,
      expectAuth: false,
      fuzzRuns: 0,
      seed: 1,
      rules: ['negative_data_rejection'],
    });
    const failure = report.results
      .find((r) => r.rule === 'negative_data_rejection')
      ?.failures.find((f) => f.operationId === 'policy_create');
    expect(failure).toBeDefined();
    const text = renderFailure(failure!);
    expect(text).toContain('✗ negative_data_rejection · policy_create');
    expect(text).toContain('request:  POST /v2/policy/create');
    expect(text).toMatch(/body \(application\/json\): \{"heartbeat_time":300,.*,$/m);
    expect(text).toContain('expected: malformed JSON → a declared 4xx (400) with an ApiError body');
    expect(text).toContain('actual:   500, content type application/json, body: {"message":"Unexpected token"');
    // The token is a variable the reader sets, never written out.
    expect(text).toContain(`-H "Authorization: Bearer $CONTRACT_TOKEN"`);
    expect(text).not.toContain(REFERENCE_TOKEN);

    const curl = /reproduce: (curl .*)$/m.exec(text)?.[1];
    expect(curl).toContain(server.url);
    const { stdout } = await sh(curl!, { shell: '/bin/bash', env: { ...process.env, CONTRACT_TOKEN: REFERENCE_TOKEN } });
    expect(stdout).toMatch(/^HTTP\/1\.1 500/);
    expect(stdout).toContain('"message":"Unexpected token"');
  });

  it('reports a schema error as JSON pointer and message', async () => {
    const broken = await startReferenceServer({ fault: 'pod_missing_status', token: REFERENCE_TOKEN });
    try {
      const report = await runAllRules({
        baseUrl: broken.url,
        token: REFERENCE_TOKEN,
        profile: REFERENCE_PROFILE,
        expectAuth: false,
        fuzzRuns: 0,
        seed: 1,
        rules: ['response_schema_conformance'],
      });
      const failure = report.results.find((r) => r.rule === 'response_schema_conformance')?.failures[0];
      expect(failure?.operationId).toBe('policy_pods');
      expect(failure?.schemaErrors).toContainEqual({ pointer: '/0', message: "must have required property 'status'" });
      expect(renderFailure(failure!)).toContain("schema:   /0 must have required property 'status'");
      expect(failure?.expected).toBe('a 200 body valid against PolicyPodResponse[]');
    } finally {
      await broken.close();
    }
  });

  it('quotes any body so that the shell passes it through unchanged', async () => {
    for (const text of [`it's "quoted" $HOME \\ \`x\``, 'tab\tnew\nline\u0001bell\u0007', 'ünïcödé 😀']) {
      const { stdout } = await sh(`printf %s ${shellQuote(text)}`, { shell: '/bin/bash' });
      expect(stdout).toBe(text);
    }
  });
});
