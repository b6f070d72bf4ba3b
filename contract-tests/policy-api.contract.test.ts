import { afterAll, beforeAll, describe, it } from 'vitest';
import { contractOptions, settingsFromEnv, skipReason } from './config.js';
import { renderRuleFailures } from './report.js';
import { EXECUTION_ORDER } from './rules.js';
import { ContractRun, renderSummary } from './runner.js';
import { resolveTarget, type Target } from './target.js';

/**
 * The contract suite as vitest tests: one test per rule, named after it, so CI (and its JUnit
 * report) shows rule by rule where a target breaks the contract.
 */
const settings = settingsFromEnv();
let target: Target | undefined;
let run: ContractRun | undefined;

beforeAll(async () => {
  target = await resolveTarget(settings);
  run = await ContractRun.start(contractOptions(settings, target.baseUrl));
});

afterAll(async () => {
  try {
    const report = await run?.finish(); // clean-up happens here, whatever failed
    if (report) console.log(`\n${report.table}\n\n${report.coverage}\n\n${renderSummary(report)}`);
  } finally {
    await target?.close();
  }
});

describe('Policy API contract', () => {
  // Rules that cannot run with this configuration (e.g. ignored_auth without CONTRACT_EXPECT_AUTH)
  // are not declared at all: the table still lists them as not run.
  const rules = EXECUTION_ORDER.filter((rule) => skipReason(rule, settings) === undefined);
  for (const rule of rules) {
    it(rule, async () => {
      if (!run) throw new Error('the contract run did not start (see the error of beforeAll)');
      const result = await run.runRule(rule);
      if (result.state === 'fail') {
        const error = new Error(`${rule} is broken:\n\n${renderRuleFailures(result)}`);
        error.stack = error.message; // the failures say where; a stack into the suite would not
        throw error;
      }
    });
  }
});
