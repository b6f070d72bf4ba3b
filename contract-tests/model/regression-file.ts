import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractProfile } from '../config.js';
import type { ModelStep } from './model-step.js';

/** The suite's library entry, as the saved test imports it (source or built, whichever this file is). */
const LIBRARY = fileURLToPath(new URL('../index.js', import.meta.url));

/**
 * A vitest file that replays one shrunk sequence against any target (CONTRACT_BASE_URL,
 * CONTRACT_TOKEN, CONTRACT_PROFILE) and fails as long as the target still breaks the model.
 */
export function renderRegressionTest(input: {
  steps: readonly ModelStep[];
  profile: ContractProfile;
  expected: string;
  seed: number;
  expectAuth: boolean;
  importFrom: string;
}): string {
  return `// Written by the contract suite's model_conformance rule (seed ${input.seed}): the shortest sequence
// of requests it found that breaks the API's meaning. It replays against CONTRACT_BASE_URL with
// CONTRACT_TOKEN (and CONTRACT_PROFILE, else the profile below) and fails while the target still
// breaks it:  CONTRACT_BASE_URL=http://127.0.0.1:8080 npx vitest run --config <its folder>/vitest.config.mjs
// (or from a project of yours whose vitest config includes this file)
import { expect, test } from 'vitest';
import { replayModelSequence, type ModelStep } from ${JSON.stringify(input.importFrom)};

const steps: ModelStep[] = ${JSON.stringify(input.steps, null, 2)};

const profile = ${JSON.stringify(input.profile, null, 2)};

test(${JSON.stringify(`model_conformance: ${input.expected}`)}, async () => {
  const baseUrl = process.env.CONTRACT_BASE_URL;
  if (!baseUrl) throw new Error('set CONTRACT_BASE_URL (and CONTRACT_TOKEN) to the target to replay against');
  const result = await replayModelSequence({
    baseUrl,
    token: process.env.CONTRACT_TOKEN ?? 'contract-suite-token',
    profile: process.env.CONTRACT_PROFILE ?? profile,
    expectAuth: ${String(input.expectAuth)},
    steps,
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

/** Writes the file (and the folder's vitest config, unless there is one) into `dir`; returns the test's path. */
export function saveRegressionTest(
  dir: string,
  name: string,
  input: Omit<Parameters<typeof renderRegressionTest>[0], 'importFrom'>,
): string {
  const path = join(dir, `${name}.test.ts`);
  mkdirSync(dirname(path), { recursive: true });
  let importFrom = relative(dirname(path), LIBRARY).split(sep).join('/');
  if (!importFrom.startsWith('.')) importFrom = `./${importFrom}`;
  writeFileSync(path, renderRegressionTest({ ...input, importFrom }));
  const config = join(dir, 'vitest.config.mjs');
  if (!existsSync(config)) writeFileSync(config, FOLDER_CONFIG);
  return path;
}
