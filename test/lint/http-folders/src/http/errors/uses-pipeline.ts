// A deliberate violation for test/lint/layers.process.test.ts: errors/ imports no other http folder.
import { STEP } from '../pipeline/api-step.js';

export const where = `failed at ${STEP}`;
