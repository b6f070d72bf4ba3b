// A deliberate cycle for test/lint/layers.process.test.ts.
import type { B } from './b.js';

export interface A {
  b?: B;
}
