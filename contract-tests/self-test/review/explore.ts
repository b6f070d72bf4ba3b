/** The review's exploration: run the whole suite against each review fault / variant; one line each. */
import { runAgainstReference } from '../run-against-reference.js';
import type { Fault, Variant } from '../reference-server.js';

const [mode = 'fault', ...names] = process.argv.slice(2);
const fuzzRuns = Number(process.env.FUZZ ?? 10);
const modelRuns = process.env.MODEL ? Number(process.env.MODEL) : undefined;
const seed = process.env.SEED ? Number(process.env.SEED) : undefined;
for (const name of names) {
  const { report, leftOnServer } = await runAgainstReference(mode === 'fault' ? (name as Fault) : undefined, {
    fuzzRuns,
    expectAuth: true,
    ...(mode === 'variant' ? { variant: name as Variant } : {}),
    ...(modelRuns !== undefined ? { modelRuns } : {}),
    ...(seed !== undefined ? { seed } : {}),
  });
  const first = report.results
    .flatMap((r) => r.failures)
    .map((f) => `${f.rule} ${f.operationId}: ${f.expected}`)
    .slice(0, 3);
  console.log(
    JSON.stringify({ name, conforms: report.conforms, failed: report.failedRules, first, leftover: report.cleanup.leftover, leftOnServer }),
  );
  if (process.env.FULL) console.log(report.results.flatMap((r) => r.failures.map((f) => JSON.stringify(f, null, 1))).join('\n\n'));
}
