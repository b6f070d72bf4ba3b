import { Faker, base, en } from '@faker-js/faker';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleElements } from '../../src/world/seed-policies.js';

const seeded = (seed: number) => {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(seed);
  return faker;
};

describe('sampleElements', () => {
  it("picks what faker.helpers.arrayElements picks, in the same order, and leaves faker's sequence where it would", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: 310 }), fc.nat(), (length, count, seed) => {
        const items = Array.from({ length }, (_, i) => `item-${i}`);
        const ours = seeded(seed);
        const theirs = seeded(seed);
        expect(sampleElements(ours, items, count)).toEqual(theirs.helpers.arrayElements(items, count));
        // The next draw agrees too: the same number of random numbers were used.
        expect(ours.number.int(1_000_000)).toBe(theirs.number.int(1_000_000));
      }),
      { numRuns: 500 },
    );
  });

  it('does not change the array it samples', () => {
    const items = Object.freeze(['a', 'b', 'c', 'd', 'e']);
    expect(sampleElements(seeded(1), items, 3)).toHaveLength(3);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
