import { readFileSync } from 'node:fs';
import { ContractSetupError, type ContractProfile } from '../config.js';
import type { ModelStep } from './model-step.js';
import { replayModelSequence, type ReplayResult } from './replay-model-sequence.js';

/** Marks a file as a saved failure of this suite, and its format's version. */
export const SAVED_FAILURE_FORMAT = 'cedana-policy-contract/saved-failure@1';

/**
 * One shrunk failure of the model-based phase, as `--save-failures` writes it (JSON): all that
 * replaying it needs, so `cedana-policy-contract replay FILE` runs it without vitest.
 */
export interface SavedFailure {
  format: typeof SAVED_FAILURE_FORMAT;
  rule: 'model_conformance';
  /** The expectation the target broke, in words. */
  expected: string;
  /** The seed of the round of generation that found it. */
  seed: number;
  expectAuth: boolean;
  /** The ids the sequence used (the target's profile, when none is given on replay). */
  profile: ContractProfile;
  steps: ModelStep[];
}

export function readSavedFailure(path: string): SavedFailure {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ContractSetupError(`cannot read saved failure ${path}: ${(error as Error).message}`);
  }
  const saved = json as Partial<SavedFailure> | null;
  if (saved?.format !== SAVED_FAILURE_FORMAT || !Array.isArray(saved.steps) || typeof saved.profile !== 'object') {
    throw new ContractSetupError(`${path} is not a saved failure of this suite (format ${SAVED_FAILURE_FORMAT})`);
  }
  return saved as SavedFailure;
}

/** Replays a saved failure against `baseUrl`: `failure` is set while the target still breaks the model on it. */
export function replaySavedFailure(
  path: string,
  options: { baseUrl: string; token?: string | undefined; profile?: ContractProfile | string | undefined },
): Promise<ReplayResult> {
  const saved = readSavedFailure(path);
  return replayModelSequence({
    baseUrl: options.baseUrl,
    token: options.token,
    profile: options.profile ?? saved.profile,
    expectAuth: saved.expectAuth,
    steps: saved.steps,
  });
}
