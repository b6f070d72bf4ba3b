// `npm run spec:build` writes spec/openapi.json and src/spec/openapi-types.ts;
// `--check` only compares them with a fresh build and fails on drift.
import { readFile, writeFile } from 'node:fs/promises';
import { buildSpec } from '../src/spec/build-spec.js';
import { SPEC_OUTPUTS, SPEC_SOURCES } from './paths.js';

const check = process.argv.includes('--check');
try {
  const built = await buildSpec(SPEC_SOURCES);
  const outputs = [
    [SPEC_OUTPUTS.document, built.json],
    [SPEC_OUTPUTS.types, built.types],
  ] as const;
  for (const [file, contents] of outputs) {
    if (!check) await writeFile(file, contents);
    else if ((await readFile(file, 'utf8').catch(() => '')) !== contents) {
      throw new Error(`${file} differs from a fresh merge: run npm run spec:build and commit it`);
    }
  }
  console.log(check ? 'spec is up to date' : `wrote ${outputs.map(([f]) => f).join(', ')}`);
} catch (error) {
  console.error(`spec:build: ${(error as Error).message}`);
  process.exitCode = 1;
}
