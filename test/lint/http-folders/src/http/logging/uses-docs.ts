// A deliberate violation for test/lint/layers.process.test.ts: logging may not build on the docs routes.
import { DOCS_PATH } from '../docs/docs-routes.js';

export const quiet = (path: string): boolean => path.startsWith(DOCS_PATH);
