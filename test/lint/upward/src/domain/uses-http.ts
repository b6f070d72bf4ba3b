// A deliberate violation for test/lint/layers.process.test.ts: the domain may not import HTTP.
import type { Answer } from '../http/answer.js';

export const status = (answer: Answer): number => answer.status;
