import { describe, inject, it } from 'vitest';

/**
 * The contract suite as vitest tests: one test per rule, named after it, so CI (and its JUnit
 * report) shows rule by rule where a target breaks the contract. The run itself happens once, in
 * vitest-global-setup.ts, through the library's `runContract`.
 */
const result = inject('contractResult');

describe('Policy API contract', () => {
  for (const rule of result.rules) {
    it(rule.id, (ctx) => {
      if (rule.state === 'skipped') ctx.skip(rule.reason);
      if (rule.state === 'failed') {
        const more = rule.omittedFailures > 0 ? `\n\n… and ${rule.omittedFailures} more failure(s) of ${rule.id} in other groups` : '';
        const error = new Error(`${rule.id} is broken:\n\n${rule.failures.map((f) => f.text).join('\n\n')}${more}`);
        error.stack = error.message; // the failures say where; a stack into the suite would not
        throw error;
      }
    });
  }
});
