import { afterEach, describe, expect, it } from 'vitest';
import { ContractRun } from '../../../contract-tests/runner.js';
import { RULES } from '../../../contract-tests/rules/index.js';
import { mockLocals } from '../../../src/app.js';
import { seedData } from '../../../src/world/seed.js';
import { startServer, type RunningServer } from '../../../src/server.js';
import { readFixture } from '../../helpers/fixtures.js';
import { mockApp } from '../../helpers/mock-app.js';

const profile = readFixture<{ podIds: string[]; jobIds: string[] }>('contract-profile.json');
const stops: Array<() => unknown> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('--simulate', () => {
  it('changes the cluster on every tick while the API keeps answering within the spec', async () => {
    const mock = await mockApp({ simulate: { tickMs: 15 } });
    const simulation = mockLocals(mock.app).simulation!;
    stops.push(() => simulation.stop());
    const namespacePolicy = mock.store.policies.find((p) => p.resource === 'namespace')!.id;
    const seen = new Set<string>();
    for (let i = 0; i < 40 && seen.size < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const pods = await mock.get(`/v2/policy/${namespacePolicy}/pods`);
      expect(pods.status).toBe(200);
      seen.add(JSON.stringify(pods.body));
    }
    expect(simulation.ticks()).toBeGreaterThan(2);
    // The namespace's pods moved through phases or were replaced: several different answers.
    expect(seen.size).toBeGreaterThan(1);
    expect(JSON.stringify(mock.store.data.pods)).not.toBe(JSON.stringify(seedData().pods));
  });

  it('is off by default', async () => {
    const mock = await mockApp();
    expect(mockLocals(mock.app).simulation).toBeUndefined();
  });

  it('keeps every rule of the contract suite, with the cluster changing between rules', async () => {
    const server: RunningServer = await startServer({
      auth: { token: 'sim' },
      // Ticked by hand below, so that a tick lands between rules and never between two reads of one check.
      simulate: { tickMs: 3_600_000, keep: [...profile.podIds, ...profile.jobIds] },
    });
    stops.push(() => server.close());
    const simulation = mockLocals(server.app).simulation!;
    const run = await ContractRun.start({
      baseUrl: server.url,
      token: 'sim',
      profile: readFixture('contract-profile.json'),
      expectAuth: true,
      fuzzRuns: 10,
      seed: 11,
    });
    const jobsBefore = server.store.data.jobs.map((j) => j.id).join();
    try {
      for (const rule of RULES.executionOrder()) {
        for (let t = 0; t < 5; t++) simulation.step();
        await run.runRule(rule);
      }
    } finally {
      await run.finish();
    }
    const report = await run.finish();
    expect(report.failedRules, report.table).toEqual([]);
    expect(server.store.data.jobs.map((j) => j.id).join()).not.toBe(jobsBefore);
  }, 120_000);
});
