import { describe, it } from 'vitest';
import { expectSuiteNamesRule, MODEL_CASES } from './broken-server-cases.js';

describe('the contract suite against servers that only the model catches', { timeout: 60_000 }, () => {
  it.concurrent.each(MODEL_CASES)('fails $fault ($what), naming $rule', expectSuiteNamesRule);
});
