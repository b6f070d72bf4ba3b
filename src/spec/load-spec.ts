import { readFileSync } from 'node:fs';
import type { OpenApiDocument } from './merge-fragments.js';

/** The merged spec; the same path works from src/ (tsx, vitest) and from dist/. */
export const SPEC_FILE = new URL('../../spec/openapi.json', import.meta.url);

let cached: OpenApiDocument | undefined;

/** Read once per process: every app shares the parsed document (callers must not mutate it). */
export function loadSpec(): OpenApiDocument {
  cached ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as OpenApiDocument;
  return cached;
}
