import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SAVED_FAILURE_FORMAT, type SavedFailure } from './saved-failure.js';

/** How the saved test imports the suite: by the package's name, as in the user's own project. */
export const PACKAGE_ENTRY = 'cedana-policy-mock/contract';

/**
 * A vitest file that replays the saved failure beside it (JSON) against any target
 * (CONTRACT_BASE_URL, CONTRACT_TOKEN, CONTRACT_PROFILE) and fails while the target still breaks it.
 */
export function renderRegressionTest(jsonName: string, expected: string): string {
  return `// Written by the contract suite's model_conformance rule: replays ${jsonName} (the shortest sequence of
// requests it found that breaks the API's meaning) against CONTRACT_BASE_URL with CONTRACT_TOKEN (and
// CONTRACT_PROFILE, else the file's profile); fails while the target still breaks it. Without vitest:
//   npx cedana-policy-contract replay ${jsonName} --base-url http://127.0.0.1:8080
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { replaySavedFailure } from ${JSON.stringify(PACKAGE_ENTRY)};

test(${JSON.stringify(`model_conformance: ${expected}`)}, async () => {
  const baseUrl = process.env.CONTRACT_BASE_URL;
  if (!baseUrl) throw new Error('set CONTRACT_BASE_URL (and CONTRACT_TOKEN) to the target to replay against');
  const result = await replaySavedFailure(fileURLToPath(new URL(${JSON.stringify(`./${jsonName}`)}, import.meta.url)), {
    baseUrl,
    token: process.env.CONTRACT_TOKEN,
    profile: process.env.CONTRACT_PROFILE || undefined,
  });
  expect(result.failure, result.report).toBeUndefined();
}, 120_000);
`;
}

/** A config of the folder's own, so the saved tests run wherever the folder is (a project's config may not include it). */
const FOLDER_CONFIG = `// Written by the contract suite: runs the regression tests of this folder, from wherever it is called.
import { fileURLToPath } from 'node:url';

export default { root: fileURLToPath(new URL('.', import.meta.url)), test: { include: ['*.test.ts'], testTimeout: 120000 } };
`;

/**
 * Writes the failure as \`name.json\` (what \`replay\` reads) and \`name.test.ts\` (the vitest route),
 * and the folder's vitest config unless there is one; returns both paths.
 */
export function saveFailure(dir: string, name: string, failure: Omit<SavedFailure, 'format' | 'rule'>): { json: string; test: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, `${name}.json`);
  const saved: SavedFailure = { format: SAVED_FAILURE_FORMAT, rule: 'model_conformance', ...failure };
  writeFileSync(json, `${JSON.stringify(saved, null, 2)}\n`);
  const test = join(dir, `${name}.test.ts`);
  writeFileSync(test, renderRegressionTest(basename(json), failure.expected));
  const config = join(dir, 'vitest.config.mjs');
  if (!existsSync(config)) writeFileSync(config, FOLDER_CONFIG);
  return { json, test };
}
