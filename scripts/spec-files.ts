import { buildSpec } from './spec/build-spec.js';
import type { GeneratedFiles } from './generated-files.js';
import { SPEC_OUTPUTS, SPEC_SOURCES } from './paths.js';

export async function specFiles(): Promise<GeneratedFiles> {
  const built = await buildSpec(SPEC_SOURCES);
  return new Map([
    [SPEC_OUTPUTS.document, built.json],
    [SPEC_OUTPUTS.types, built.types],
  ]);
}
