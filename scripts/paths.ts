import { fileURLToPath } from 'node:url';

const root = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

export const SPEC_SOURCES = {
  fragmentsDir: root('spec/fragments'),
  overlayFile: root('spec/overlay.json'),
};

export const SPEC_OUTPUTS = {
  document: root('spec/openapi.json'),
  types: root('src/spec/openapi-types.ts'),
};

export const FIXTURES = {
  seedData: root('fixtures/seed-data.json'),
  contractProfile: root('fixtures/contract-profile.json'),
};
