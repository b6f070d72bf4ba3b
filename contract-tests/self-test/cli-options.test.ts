import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, optionsFromArgs } from '../cli.js';

const VARIABLES = [
  'CONTRACT_BASE_URL',
  'CONTRACT_TOKEN',
  'CONTRACT_EXPECT_AUTH',
  'CONTRACT_FUZZ_RUNS',
  'CONTRACT_RULES',
  'CONTRACT_DEADLINE',
  'CONTRACT_REQUEST_TIMEOUT',
  'CONTRACT_MAX_RESPONSE_BYTES',
  'CONTRACT_WAIT_FOR_TARGET',
  'CONTRACT_JUNIT',
  'CONTRACT_HTML',
  'CONTRACT_MODEL_RUNS',
  'CONTRACT_SAVE_FAILURES',
  'CONTRACT_COMPARE_WITH',
  'CONTRACT_COMPARE_TOKEN',
  'CONTRACT_COMPARE_PROFILE',
  'CONTRACT_EXCLUDE_RULES',
  'CONTRACT_WAIVERS',
  'CONTRACT_JSON',
  'CONTRACT_HAR',
  'CONTRACT_CA_CERT',
  'CONTRACT_COMPARE_STRICT',
];

describe('CLI options: flags, then CONTRACT_* variables, then defaults', () => {
  const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const setEnv = (values: Record<string, string>) => {
    for (const name of VARIABLES) delete process.env[name];
    Object.assign(process.env, values);
  };

  it('defaults: our mock in-process, 10 s per request, 8 MiB per response, a 300 s deadline, no waiting', () => {
    setEnv({});
    // expectAuth left to the library: held for our own mock, off for a base URL unless asked.
    expect(optionsFromArgs([]).expectAuth).toBeUndefined();
    expect(optionsFromArgs([])).toMatchObject({
      startMock: true,
      fuzzRuns: 100,
      modelRuns: 100,
      seed: 424242,
      requestTimeoutMs: 10_000,
      maxResponseBytes: 8 * 1024 * 1024,
      deadlineMs: 300_000,
      waitForTargetMs: 0,
    });
  });

  it('reads every setting from its variable, and a flag wins over it', () => {
    setEnv({
      CONTRACT_BASE_URL: 'http://127.0.0.1:8080',
      CONTRACT_TOKEN: 't',
      CONTRACT_EXPECT_AUTH: '1',
      CONTRACT_FUZZ_RUNS: '7',
      CONTRACT_RULES: 'lifecycle,unknown_id',
      CONTRACT_DEADLINE: '60',
      CONTRACT_REQUEST_TIMEOUT: '2.5',
      CONTRACT_MAX_RESPONSE_BYTES: '1024',
      CONTRACT_WAIT_FOR_TARGET: '30',
      CONTRACT_JUNIT: 'r.xml',
      CONTRACT_HTML: 'r.html',
    });
    expect(optionsFromArgs([])).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080',
      token: 't',
      expectAuth: true,
      fuzzRuns: 7,
      rules: ['lifecycle', 'unknown_id'],
      deadlineMs: 60_000,
      requestTimeoutMs: 2_500,
      maxResponseBytes: 1024,
      waitForTargetMs: 30_000,
      junitPath: 'r.xml',
      htmlPath: 'r.html',
    });
    expect(optionsFromArgs(['--deadline', '5', '--fuzz-runs', '0', '--base-url', 'http://x.test'])).toMatchObject({
      deadlineMs: 5_000,
      fuzzRuns: 0,
      baseUrl: 'http://x.test',
    });
  });

  it('takes the model-based and differential settings from flags or their variables', () => {
    setEnv({ CONTRACT_MODEL_RUNS: '7', CONTRACT_COMPARE_WITH: 'http://other.test', CONTRACT_COMPARE_TOKEN: 'ct' });
    expect(optionsFromArgs([])).toMatchObject({ modelRuns: 7, compareWith: 'http://other.test', compareToken: 'ct' });
    expect(optionsFromArgs([]).saveFailures).toBeUndefined();
    expect(optionsFromArgs(['--model-runs', '1000', '--save-failures', 'reports/model', '--compare-profile', 'p.json'])).toMatchObject({
      modelRuns: 1000,
      saveFailures: 'reports/model',
      compareProfile: 'p.json',
    });
    setEnv({ CONTRACT_MODEL_RUNS: 'many' });
    expect(() => optionsFromArgs([])).toThrow(/CONTRACT_MODEL_RUNS/);
  });

  it('takes CONTRACT_EXPECT_AUTH as on only for 1 or true, and an empty variable as unset', () => {
    setEnv({ CONTRACT_EXPECT_AUTH: '0', CONTRACT_BASE_URL: '', CONTRACT_FUZZ_RUNS: '' });
    expect(optionsFromArgs([])).toMatchObject({ expectAuth: false, startMock: true, fuzzRuns: 100 });
    setEnv({ CONTRACT_EXPECT_AUTH: 'true' });
    expect(optionsFromArgs([]).expectAuth).toBe(true);
  });

  it('takes CONTRACT_COMPARE_STRICT as on only for 1 or true, and the flag as on', () => {
    setEnv({ CONTRACT_COMPARE_STRICT: '0' });
    expect(optionsFromArgs([]).compareStrict).toBe(false);
    setEnv({ CONTRACT_COMPARE_STRICT: 'false' });
    expect(optionsFromArgs([]).compareStrict).toBe(false);
    setEnv({ CONTRACT_COMPARE_STRICT: '1' });
    expect(optionsFromArgs([]).compareStrict).toBe(true);
    setEnv({});
    expect(optionsFromArgs([]).compareStrict).toBe(false);
    expect(optionsFromArgs(['--compare-strict']).compareStrict).toBe(true);
  });

  it('exits 2, the set-up code, on a bad flag or variable, saying which', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      setEnv({});
      expect(await main(['--deadline', 'soon'])).toBe(2);
      setEnv({ CONTRACT_FUZZ_RUNS: '-1' });
      expect(await main([])).toBe(2);
      const written = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(written).toContain("option '--deadline <seconds>' argument 'soon' is invalid");
      expect(written).toContain("from env 'CONTRACT_FUZZ_RUNS' is invalid");
    } finally {
      stderr.mockRestore();
    }
  });

  it('scoping flags: --exclude-rules, --waivers, repeated --header, --ca-cert, --insecure, --json, --har', () => {
    setEnv({ CONTRACT_EXCLUDE_RULES: 'lifecycle', CONTRACT_WAIVERS: 'w.json', CONTRACT_JSON: 'r.json', CONTRACT_HAR: 'r.har' });
    expect(optionsFromArgs(['--header', 'X-Tenant: a', '--header', 'X-Key:b c', '--ca-cert', 'ca.pem', '--insecure'])).toMatchObject({
      excludeRules: ['lifecycle'],
      waivers: 'w.json',
      headers: { 'X-Tenant': 'a', 'X-Key': 'b c' },
      caCert: 'ca.pem',
      insecure: true,
      jsonPath: 'r.json',
      harPath: 'r.har',
      harMaxEntries: 5_000,
    });
    expect(() => optionsFromArgs(['--header', 'no colon'])).toThrow();
    expect(() => optionsFromArgs(['--exclude-rules', 'no_such_rule'])).toThrow();
  });
});
