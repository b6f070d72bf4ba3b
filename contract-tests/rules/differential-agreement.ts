import { semantics } from '../basis.js';
import { OP } from '../operations.js';
import { learnCluster, LearningError, type LearnedCluster } from '../model/learned-cluster.js';
import { renderDivergence, renderError, renderProvenance, renderTranscript } from '../model/render-sequence.js';
import { checkSequences, Divergence, failingExchange } from '../model/sequence-check.js';
import { COMPARE_TOKEN_VARIABLE, maskSecret } from '../secret-mask.js';
import { RunState } from '../run-state.js';
import { MODEL_MAX_COMMANDS } from './model-conformance.js';
import { defineRule } from './rule.js';

/**
 * Rule 13 (with --compare-with): the same generated sequences against the target and a second
 * implementation. They may hold different data; they must not differ in statuses, media types,
 * which fields are present or null, error shapes, which requests are refused, or in which of the
 * model's expectations (counts, defaults, sync, timestamps) they keep.
 */
export const differentialAgreement = defineRule({
  id: 'differential_agreement',
  basis: semantics('two implementations of one contract answer the same requests alike, beyond their data', 'docs/contract-suite.md'),
  kind: 'scenario',
  reportOrder: 13,
  runOrder: 10,
  skip: (options) => (options.compare ? undefined : 'no second target (--compare-with / CONTRACT_COMPARE_WITH)'),
  async run(ctx) {
    const s = ctx.runState;
    const compare = s.options.compare;
    if (!compare) return;
    const other = new RunState({ ...s.options, baseUrl: compare.baseUrl, token: compare.token, profile: compare.profile }, []);
    other.phase = ctx.rule;
    const hide = (text: string) => maskSecret(text, compare.token);
    // A compare target that stopped answering is a set-up problem, not a difference: what it answered proves nothing.
    const wentSilent = () => {
      if (other.setupProblem !== undefined) s.stop(`the compare target ${compare.baseUrl}: ${hide(other.setupProblem)}`, true);
      return other.setupProblem !== undefined;
    };
    try {
      const { policies } = await other.list();
      other.baselineIds = new Set((policies ?? []).map((p) => p.id));
      const learned: LearnedCluster[] = [];
      // Both targets passed the set-up checks (runner.ts) before any rule ran.
      for (const [runState, name] of [
        [s, 'the target'],
        [other, 'the compare target'],
      ] as const) {
        try {
          learned.push(await learnCluster(runState));
        } catch (error) {
          if (!(error instanceof LearningError)) throw error;
          if (wentSilent()) return;
          ctx.fail(OP.list, `${name} can be learned from its answers: ${hide(error.message)}`, {
            exchange: runState === s ? error.exchange : undefined,
          });
          return;
        }
      }
      const [mine, theirs] = learned as [LearnedCluster, LearnedCluster];
      const runs = s.options.modelRuns;
      const check = await checkSequences({
        targets: [
          { runState: s, learned: mine },
          { runState: other, learned: theirs },
        ],
        strict: false,
        // Only scopes both models can judge.
        space: { expectAuth: s.options.compareAuth === true, openFilters: mine.openFilters.filter((f) => theirs.openFilters.includes(f)) },
        runs,
        maxCommands: MODEL_MAX_COMMANDS,
        maxFailures: s.options.modelMaxFailures,
        seed: s.options.seed,
        stopped: () => s.stopped || other.stopped,
      });
      if (wentSilent()) return;
      if (check.failures.length === 0) {
        for (const op of Object.values(OP)) ctx.pass(op);
        return;
      }
      for (const found of check.failures) {
        const divergence = found.error instanceof Divergence ? found.error : undefined;
        const lines = [
          renderProvenance(found, runs, s.options.seed),
          `target ${s.options.baseUrl}:`,
          renderTranscript(found.transcripts[0] ?? []),
          `compare target ${compare.baseUrl}:`,
          hide(renderTranscript(found.transcripts[1] ?? [], COMPARE_TOKEN_VARIABLE)),
          renderError(found),
          ...(divergence ? [renderDivergence(divergence)] : []),
        ];
        const exchange = failingExchange(found);
        // Named after the request that showed the difference (an unauthenticated step names its operation).
        ctx.fail(exchange?.operationId ?? OP.list, 'the target and the compare target answer the same requests alike (beyond their data)', {
          exchange,
          actual: hide(lines.join('\n')),
          distinct: found.signature,
        });
      }
    } finally {
      await other.cleanup();
    }
  },
});
