import { fileURLToPath } from 'node:url';

/** A path inside the repository, wherever the script is run from. */
export const fromRoot = (relative: string): string => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const SPEC_SOURCES = {
  fragmentsDir: fromRoot('spec/fragments'),
  overlayFile: fromRoot('spec/overlay.json'),
};

export const SPEC_OUTPUTS = {
  document: fromRoot('spec/openapi.json'),
  types: fromRoot('src/spec/openapi-types.ts'),
};
