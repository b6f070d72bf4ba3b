import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonLength, policyBytes } from '../../src/store/data-budget.js';
import type { Policy } from '../../src/domain/model.js';

// The budget measures each policy it admits by its JSON's length: measured without serialising,
// it must still be the length JSON.stringify gives, never less (a client's escapes included).
describe('jsonLength', () => {
  it('is the length of JSON.stringify, for any JSON value and any string', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string());
    const value = fc.letrec((tie) => ({
      any: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(undefined),
        fc.array(tie('any')),
        fc.dictionary(text, tie('any')),
      ),
    })).any;
    fc.assert(
      fc.property(value, (v) => {
        expect(jsonLength(v)).toBe(JSON.stringify(v)?.length ?? 0);
      }),
      { seed: 22, numRuns: 2000 },
    );
  });

  it('counts escaped and lone-surrogate text as JSON writes it', () => {
    for (const s of ['"', '\\', '\n', '\u0000', '\u001f', '\ud800', 'a\udc00b', '😀', '\u2028'])
      expect(jsonLength({ s, a: [s, undefined] })).toBe(JSON.stringify({ s, a: [s, undefined] }).length);
  });

  it("prices a policy by its JSON's length", () => {
    const policy = { id: 'b7fd99f4-01ff-475b-90ca-3ae2e5b48277', resourceName: 'x"\n', resourceIds: ['a', 'b'] } as unknown as Policy;
    expect(policyBytes(policy)).toBe(JSON.stringify(policy).length * 3);
    expect(policyBytes(undefined)).toBe(0);
  });
});
