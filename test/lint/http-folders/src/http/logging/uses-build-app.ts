// A deliberate violation for test/lint/layers.process.test.ts: a folder of src/http may not import its table of contents.
import { HTTP_STEPS } from '../build-app.js';

export const steps = HTTP_STEPS;
