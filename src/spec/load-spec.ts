import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { packageFile } from './package-file.js';
import type { OpenApiDocument } from './openapi-document.js';

/** The merged spec, from src/ (tsx, vitest), dist/src/ and an installed package alike. */
export const SPEC_FILE = pathToFileURL(packageFile('spec/openapi.json'));

let cached: OpenApiDocument | undefined;

/** Read once per process: every app shares the parsed document (callers must not mutate it). */
export function loadSpec(): OpenApiDocument {
  cached ??= JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as OpenApiDocument;
  return cached;
}
