import { describe, it } from 'vitest';
import { expectSuiteNamesRule, STATE_AND_MEANING_CASES } from './broken-server-cases.js';

describe('the contract suite against servers that break a state or meaning rule', { timeout: 60_000 }, () => {
  it.concurrent.each(STATE_AND_MEANING_CASES)('fails $fault ($what), naming $rule', expectSuiteNamesRule);
});
