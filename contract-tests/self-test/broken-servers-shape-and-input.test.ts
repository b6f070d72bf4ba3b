import { describe, it } from 'vitest';
import { expectSuiteNamesRule, SHAPE_AND_INPUT_CASES } from './broken-server-cases.js';

describe('the contract suite against servers that break a shape or input rule', { timeout: 60_000 }, () => {
  it.concurrent.each(SHAPE_AND_INPUT_CASES)('fails $fault ($what), naming $rule', expectSuiteNamesRule);
});
