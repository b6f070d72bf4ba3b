import type { Level } from '../../basis.js';
import type { ContractReport } from '../../contract-report.js';
import { runAllRules } from '../../runner.js';
import { REFERENCE_PROFILE } from '../reference-data.js';
import { REFERENCE_TOKEN } from '../run-against-reference.js';
import { startDivergentServer, type Divergence } from './fault-proxy.js';

/** The whole suite (auth expected, as runAgainstReference) against the reference server behind `divergence`. */
export async function runAgainstDivergent(
  divergence: Divergence,
  options: { fuzzRuns?: number; modelRuns?: number; seed?: number; level?: Level } = {},
): Promise<{ report: ContractReport; leftOnServer: string[] }> {
  const server = await startDivergentServer(divergence, { token: REFERENCE_TOKEN });
  try {
    const report = await runAllRules({
      baseUrl: server.url,
      token: REFERENCE_TOKEN,
      profile: REFERENCE_PROFILE,
      expectAuth: true,
      fuzzRuns: options.fuzzRuns ?? 0,
      seed: options.seed ?? 424242,
      ...(options.modelRuns !== undefined ? { modelRuns: options.modelRuns } : {}),
      ...(options.level !== undefined ? { level: options.level } : {}),
    });
    return { report, leftOnServer: server.policyIds() };
  } finally {
    await server.close();
  }
}
