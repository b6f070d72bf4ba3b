// The soak, short: 2,000 requests at concurrency 20 (valid calls of every operation mixed with
// generated invalid ones) against a mock process, then the contract suite against the same
// process. `npm run soak` runs the full 20,000 against `npm start`'s build.
import { afterAll, describe, it } from 'vitest';
import { loadProfile } from '../../contract-tests/config.js';
import { DEFAULT_PROFILE_PATH } from '../../contract-tests/defaults.js';
import { rssMb } from '../../bench/lib/processes.js';
import { soak } from '../../bench/lib/soak.js';
import { killAll, startCli } from '../helpers/spawn-mock.js';

afterAll(() => killAll());

describe('soak', () => {
  it('survives 2,000 mixed valid and invalid requests: no 5xx, no dropped connection, only ApiErrors, flat memory, still healthy and conforming', async ({
    expect,
    onTestFinished,
  }) => {
    const mock = await startCli(['--port', '0', '--quiet'], { timeoutMs: 30_000 });
    onTestFinished(() =>
      mock.stop('SIGKILL').then(
        () => undefined,
        () => undefined,
      ),
    );
    const pid = mock.child.pid;
    if (pid === undefined) throw new Error('the mock has no pid');

    const report = await soak({
      baseUrl: mock.banner.url,
      requests: 2_000,
      concurrency: 20,
      seed: 20_261_129,
      token: 'soak-test',
      profile: loadProfile(DEFAULT_PROFILE_PATH),
      rssMb: () => rssMb(pid),
      contractFuzzRuns: 30,
      // Half of a short run: the first thousand requests still grow the heap to its working size.
      warmupShare: 0.5,
    });

    const detail = JSON.stringify(
      { reasons: report.reasons, problems: report.problems.slice(0, 5), byKind: report.byKind, rss: report.rss },
      null,
      2,
    );
    expect(report.serverErrors, detail).toBe(0);
    expect(report.connectionErrors, detail).toBe(0);
    expect(report.notApiErrors, detail).toBe(0);
    expect(report.validRefused, detail).toBe(0);
    expect(report.healthy, detail).toBe(true);
    expect(report.rss.growth, detail).toBeLessThan(0.2);
    expect(report.contract?.conforms, detail).toBe(true);
    expect(report.passed, detail).toBe(true);
    // Every kind of input was sent.
    expect(Object.keys(report.byKind).sort()).toEqual(
      [
        'deep',
        'huge',
        'malformed-json',
        'missing-field',
        'odd-header',
        'odd-id',
        'other-method',
        'random-bytes',
        'raw-http',
        'truncated-json',
        'unknown-route',
        'valid',
        'wrong-type',
      ].sort(),
    );
    expect(mock.stderr()).toBe('');
  }, 120_000);
});
