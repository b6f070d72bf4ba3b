import { loadProfile, parseProfile, type ContractProfile } from '../config.js';
import { DEFAULT_TOKEN } from '../defaults.js';
import { printable } from '../printable.js';
import { maskSecret } from '../secret-mask.js';
import { RunState } from '../run-state.js';
import { learnCluster, LearningError } from './learned-cluster.js';
import type { ModelStep } from './model-step.js';
import { renderError, renderTranscript } from './render-sequence.js';
import { replaySequence } from './sequence-check.js';

export interface ReplayResult {
  /** What broke, when the target still breaks the model on this sequence. */
  failure?: string | undefined;
  /** Each step as sent and answered (curl lines with $CONTRACT_TOKEN), and the verdict. */
  report: string;
}

/**
 * Replays a sequence that model_conformance shrunk (a saved regression test): learns the target's
 * cluster as the suite does, runs the steps once with the model strict, and cleans up.
 */
export async function replayModelSequence(options: {
  baseUrl: string;
  token?: string | undefined;
  profile: ContractProfile | string;
  expectAuth?: boolean | undefined;
  steps: readonly ModelStep[];
}): Promise<ReplayResult> {
  const token = options.token ?? DEFAULT_TOKEN;
  const profile = typeof options.profile === 'string' ? loadProfile(options.profile) : parseProfile(options.profile, 'the profile option');
  const runState = new RunState({
    baseUrl: options.baseUrl,
    token,
    profile,
    expectAuth: options.expectAuth ?? false,
    fuzzRuns: 0,
    seed: 0,
  });
  runState.phase = 'model_conformance';
  try {
    const { policies } = await runState.list();
    runState.baselineIds = new Set((policies ?? []).map((p) => p.id));
    let learned;
    try {
      learned = await learnCluster(runState);
    } catch (error) {
      if (!(error instanceof LearningError)) throw error;
      return { failure: `the model could not learn the cluster: ${error.message}`, report: printable(maskSecret(error.message, token)) };
    }
    const { failure, transcript } = await replaySequence([{ runState, learned }], options.steps);
    const steps = renderTranscript(transcript);
    if (!failure) return { report: printable(maskSecret(`${steps}\n✓ fixed: the sequence of ${transcript.length} step(s) holds`, token)) };
    const report = `${steps}\n${renderError(failure)}\nstill fails`;
    return { failure: printable(maskSecret(renderError(failure), token)), report: printable(maskSecret(report, token)) };
  } finally {
    await runState.cleanup();
  }
}
