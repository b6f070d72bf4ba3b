import { semantics } from '../basis.js';
import { dirname, join } from 'node:path';
import { OP } from '../operations.js';
import { ClusterDisagreement, learnCluster, LearningError } from '../model/learned-cluster.js';
import { saveFailure } from '../model/regression-file.js';
import { renderError, renderProvenance, renderTranscript } from '../model/render-sequence.js';
import { checkSequences, failingExchange } from '../model/sequence-check.js';
import { ModelMismatch } from '../model/target-driver.js';
import { defineRule } from './rule.js';

/** Steps per generated sequence at most: long enough to build, change and read back several policies. */
export const MODEL_MAX_COMMANDS = 30;

/**
 * Rule 12: model-based testing (fast-check `commands`). Seeded sequences of every operation, each
 * judged against a model of the API's meaning (README "How the mock behaves"): what list shows,
 * which pods and jobs a policy monitors, counts, defaults, nulls, job-status as of the last sync,
 * timestamps that move on a change and only then, and that a refusal changes nothing. What the
 * model cannot know of the target's cluster it learns from the target first. A failing sequence
 * is shrunk to the shortest one that still fails and printed as curl lines; generation then goes
 * on past it, so each distinct failure (operation and expectation) is reported, up to a bound.
 */
export const modelConformance = defineRule({
  id: 'model_conformance',
  basis: semantics(
    '`input` = heartbeat_time, `resource_list` = resource ids, `pod_count` = pods monitored now, `job_count` = matched jobs (jobs policies; null otherwise)',
  ),
  kind: 'scenario',
  reportOrder: 12,
  runOrder: 9,
  skip: (options) => (options.modelRuns === 0 ? 'CONTRACT_MODEL_RUNS=0' : undefined),
  // Before any rule has made a jobs policy: sync-jobs answers 200 however many jobs policies the
  // target holds, none included (README: sync-jobs "re-evaluates every jobs policy", 200). Later in
  // the run the other rules' jobs policies are alive, so only this moment shows it.
  async prelude(ctx) {
    const exchange = await ctx.runState.syncJobs();
    ctx.expectStatus(
      exchange,
      [200],
      "sync-jobs → 200 before the run's first jobs policy (whatever jobs policies the target holds, none included)",
    );
  },
  async run(ctx) {
    const s = ctx.runState;
    const runs = s.options.modelRuns;
    let learned;
    try {
      learned = await learnCluster(s);
    } catch (error) {
      if (!(error instanceof LearningError)) throw error;
      if (error instanceof ClusterDisagreement)
        ctx.fail(error.operationId, error.label, { exchange: error.exchange, actual: error.detail });
      else ctx.fail(OP.jobs, `the model learns the target's cluster from its answers: ${error.message}`, { exchange: error.exchange });
      return;
    }
    const check = await checkSequences({
      targets: [{ runState: s, learned }],
      strict: true,
      space: { expectAuth: s.options.expectAuth, openFilters: learned.openFilters },
      runs,
      maxCommands: MODEL_MAX_COMMANDS,
      maxFailures: s.options.modelMaxFailures,
      seed: s.options.seed,
      stopped: () => s.stopped,
    });
    s.log(
      `model_conformance: ${check.runs} generated sequence(s), ${check.failures.length} distinct failure(s) (seed ${s.options.seed}, CONTRACT_MODEL_RUNS=${runs}, at most ${s.options.modelMaxFailures} failures)`,
    );
    if (check.failures.length === 0) {
      for (const op of Object.values(OP)) ctx.pass(op);
      return;
    }
    check.failures.forEach((found, i) => {
      const error = found.error;
      const lines = [renderProvenance(found, runs, s.options.seed), renderTranscript(found.transcripts[0] ?? []), renderError(found)];
      const expected = error instanceof ModelMismatch ? error.label : 'every generated sequence runs to its end';
      if (s.options.saveFailuresDir && found.steps.length > 0) {
        const saved = saveFailure(s.options.saveFailuresDir, `model-conformance-${s.runId}-${i + 1}`, {
          steps: found.steps,
          profile: s.profile,
          expected,
          seed: found.seed,
          expectAuth: s.options.expectAuth,
        });
        lines.push(
          `saved as ${saved.json} (replay: npx cedana-policy-contract replay ${saved.json} --base-url … --token …)`,
          `and as a vitest test ${saved.test} (CONTRACT_BASE_URL=… CONTRACT_TOKEN=… npx vitest run --config ${join(dirname(saved.test), 'vitest.config.mjs')})`,
        );
        s.log(`model_conformance: the shrunk sequence is saved as ${saved.json}`);
      }
      ctx.fail(error instanceof ModelMismatch ? error.operationId : OP.list, expected, {
        exchange: failingExchange(found),
        actual: lines.join('\n'),
        distinct: found.signature,
      });
    });
  },
});
