import type { Level } from '../basis.js';
import type { ContractReport } from '../contract-report.js';
import { runAllRules } from '../runner.js';
import { REFERENCE_PROFILE } from './reference-data.js';
import { startReferenceServer, type Fault, type Variant } from './reference-server.js';

export const REFERENCE_TOKEN = 'reference-token';

export interface ReferenceRun {
  report: ContractReport;
  /** Policies still on the server after the run: the suite must leave none. */
  leftOnServer: string[];
}

/** Start the reference server (with an optional fault), run the whole suite against it, stop it. */
export async function runAgainstReference(
  fault: Fault | undefined,
  options: {
    fuzzRuns?: number;
    expectAuth?: boolean;
    teammate?: boolean;
    variant?: Variant;
    modelRuns?: number;
    seed?: number;
    level?: Level;
  } = {},
): Promise<ReferenceRun> {
  const server = await startReferenceServer({ fault, token: REFERENCE_TOKEN, teammate: options.teammate, variant: options.variant });
  try {
    const report = await runAllRules({
      baseUrl: server.url,
      token: REFERENCE_TOKEN,
      profile: REFERENCE_PROFILE,
      expectAuth: options.expectAuth ?? true,
      fuzzRuns: options.fuzzRuns ?? 10,
      seed: options.seed ?? 424242,
      ...(options.modelRuns !== undefined ? { modelRuns: options.modelRuns } : {}),
      ...(options.level !== undefined ? { level: options.level } : {}),
    });
    return { report, leftOnServer: server.policyIds() };
  } finally {
    await server.close();
  }
}
