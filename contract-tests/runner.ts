import { ContractSetupError, type ContractOptions } from './config.js';
import type { Failure } from './failure.js';
import { buildMatrix, failureCount, type ContractReport, type RuleResult } from './contract-report.js';
import { renderCoverage, renderTable, workDone } from './report/console-report.js';
import { counts } from './basis.js';
import { printable } from './printable.js';
import { checkSetUp } from './profile-check.js';
import { RULES, type RuleId } from './rules/index.js';
import { STATE_WORD } from './rule-state.js';
import { RuleContext } from './rules/rule-context.js';
import { maskSecret } from './secret-mask.js';
import { RunState } from './run-state.js';

/**
 * One run against one target, rule by rule. `runAllRules` runs them all; the public entry,
 * `runContract` (run-contract.ts), wraps it for the CLI, the vitest route and other teams.
 */
export class ContractRun {
  readonly results = new Map<RuleId, RuleResult<RuleId>>();
  private readonly started = Date.now();
  private finished?: Promise<ContractReport>;
  private readonly deadline: NodeJS.Timeout;

  private constructor(readonly runState: RunState) {
    const ms = runState.options.deadlineMs;
    this.deadline = setTimeout(() => runState.stop(`the run's deadline (${ms / 1000} s) was reached`), ms);
    this.deadline.unref();
  }

  /**
   * Check that the target (and the compare target) answers at all, accepts the token and has the
   * profile's ids and a job its jobFilter matches, before judging it. Each failing check is a set-up error; the run is cleaned up before it is thrown.
   */
  static async start(options: ContractOptions): Promise<ContractRun> {
    const run = new ContractRun(new RunState(options, RULES.judges()));
    const { runState } = run;
    try {
      await checkSetUp(runState, '', 'CONTRACT_TOKEN / --token');
      if (options.compare) await checkCompareTarget(options, options.compare);
    } catch (error) {
      await run.finish();
      if (error instanceof ContractSetupError) throw new ContractSetupError(printable(maskSecret(error.message, options.token)));
      throw error;
    }
    options.log?.(
      `contract run ${runState.runId} against ${options.baseUrl} · seed ${options.seed} (CONTRACT_SEED) · fuzz runs ${options.fuzzRuns} (CONTRACT_FUZZ_RUNS) · model runs ${runState.options.modelRuns} (CONTRACT_MODEL_RUNS)${options.compare ? ` · compared with ${options.compare.baseUrl}` : ''}${runState.options.level === 'spec' ? ' · level spec (CONTRACT_LEVEL): only what the OpenAPI document requires' : ''}`,
    );
    await run.runPreludes();
    return run;
  }

  /** Each rule's prelude, before any scenario runs: what only the target as the run found it shows. */
  private async runPreludes(): Promise<void> {
    const { runState } = this;
    const phase = runState.phase;
    for (const rule of RULES.executionOrder()) {
      const definition = RULES.get(rule);
      if (!definition.prelude || this.skipReason(rule) || runState.stopped) continue;
      runState.phase = rule;
      await this.toCompletion(rule, (ctx) => definition.prelude!(ctx));
    }
    runState.phase = phase;
  }

  /** Runs a rule's scenario or prelude; one that cannot finish has not shown the rule holds: a failure of it. */
  private async toCompletion(rule: RuleId, scenario: (ctx: RuleContext) => Promise<void>): Promise<void> {
    try {
      await scenario(new RuleContext(this.runState, rule, RULES.get(rule).basis));
    } catch (error) {
      this.runState.recordFailure({
        rule,
        basis: RULES.get(rule).basis,
        operationId: 'policy_list',
        expected: 'the check runs to completion',
        actual: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }

  /** Why a rule will not run with these options, or undefined when it will. */
  skipReason(rule: RuleId): string | undefined {
    const { options } = this.runState;
    if (options.rules && !options.rules.includes(rule)) return 'not selected';
    if (options.excludeRules?.includes(rule)) return 'excluded';
    if (!counts(RULES.get(rule).basis, options.level)) return 'level spec: it holds the target to documented semantics, not the spec';
    return RULES.get(rule).skip?.(options);
  }

  async runRule(rule: RuleId): Promise<RuleResult<RuleId>> {
    const reason = this.skipReason(rule) ?? this.runState.stoppedBecause;
    // A shape rule judges every exchange: what it found before a stop still counts.
    const found = this.skipReason(rule) ? [] : this.runState.recorder.failures(rule);
    if (reason && found.length > 0) {
      const result: RuleResult<RuleId> = {
        rule,
        state: 'failed',
        failures: found,
        omitted: this.runState.recorder.omitted(rule),
        durationMs: 0,
      };
      this.results.set(rule, result);
      return result;
    }
    if (reason) {
      const result: RuleResult<RuleId> = { rule, state: 'skipped', failures: [], omitted: 0, reason, durationMs: 0 };
      this.results.set(rule, result);
      return result;
    }
    const { runState } = this;
    runState.phase = rule;
    const startedAt = Date.now();
    const exchangesBefore = runState.exchanges;
    await this.toCompletion(rule, (ctx) => RULES.get(rule).run(ctx));
    const { recorder } = runState;
    let failures: Failure[] = recorder.failures(rule);
    const durationMs = Date.now() - startedAt;
    if (failures.length === 0 && runState.stopped) {
      // Cut short with nothing found: it has shown neither that the rule holds nor that it breaks.
      const result: RuleResult<RuleId> = {
        rule,
        state: 'skipped',
        failures,
        omitted: 0,
        reason: `stopped while it ran: ${runState.stoppedBecause}`,
        durationMs,
      };
      this.results.set(rule, result);
      runState.log(`${rule}: not run (${result.reason})`);
      return result;
    }
    if (failures.length === 0 && !recorder.ran(rule)) {
      failures = [
        {
          rule,
          basis: RULES.get(rule).basis,
          operationId: 'policy_list',
          expected: 'the rule makes at least one observation',
          actual: 'nothing was checked',
        },
      ];
      failures.forEach((f) => runState.recordFailure(f));
    }
    const result: RuleResult<RuleId> = {
      rule,
      state: failures.length ? 'failed' : 'passed',
      failures,
      omitted: recorder.omitted(rule),
      durationMs,
      ...this.work(rule, runState.exchanges - exchangesBefore),
    };
    this.results.set(rule, result);
    runState.log(`${rule}: ${STATE_WORD[result.state]} (${workDone(result)}, ${Date.now() - startedAt} ms)`);
    return result;
  }

  /** What a rule did: the requests of its scenario, and for a judge the exchanges it judged (its tour may have sent none). */
  private work(rule: RuleId, requests: number): Pick<RuleResult, 'requests' | 'exchangesJudged'> {
    return RULES.get(rule).kind === 'judge' ? { requests, exchangesJudged: this.runState.recorder.exchangesJudged(rule) } : { requests };
  }

  /** Shape rules judge every exchange: refresh their results with whatever came after them. */
  private refreshShapeResults(): void {
    const { recorder } = this.runState;
    for (const [rule, result] of this.results) {
      if (result.state === 'skipped') continue;
      const refreshed = { ...result, ...(result.exchangesJudged !== undefined ? { exchangesJudged: recorder.exchangesJudged(rule) } : {}) };
      if (recorder.failureCount(rule) > failureCount(result)) {
        this.results.set(rule, { ...refreshed, state: 'failed', failures: recorder.failures(rule), omitted: recorder.omitted(rule) });
      } else this.results.set(rule, refreshed);
    }
  }

  /** Clean up (always) and build the report. Safe to call more than once. */
  finish(): Promise<ContractReport> {
    this.finished ??= this.buildReport();
    return this.finished;
  }

  private async buildReport(): Promise<ContractReport> {
    const { runState } = this;
    clearTimeout(this.deadline);
    const cleanup = await runState.cleanup();
    this.refreshShapeResults();
    const results = RULES.executionOrder()
      .map((rule) => this.results.get(rule))
      .filter((r): r is RuleResult<RuleId> => r !== undefined);
    const failedRules = results.filter((r) => r.state === 'failed').map((r) => r.rule);
    const operations = runState.operationsInOrder();
    const matrix = buildMatrix(runState.recorder, this.results, RULES.ids, operations);
    return {
      conforms: failedRules.length === 0 && results.some((r) => r.state === 'passed') && !runState.stopped,
      stoppedBecause: runState.stoppedBecause,
      setupProblem: runState.setupProblem,
      baseUrl: runState.options.baseUrl,
      runId: runState.runId,
      seed: runState.options.seed,
      fuzzRuns: runState.options.fuzzRuns,
      results,
      failedRules,
      exchanges: runState.exchanges,
      durationMs: Date.now() - this.started,
      cleanup,
      matrix,
      table: renderTable(matrix),
      coverage: renderCoverage(runState.recorder, operations),
      mask: runState.mask,
      exchangeLog: runState.harLog,
    };
  }
}

/** The compare target's set-up checks, on a run state of its own (cleaned up). */
async function checkCompareTarget(options: ContractOptions, compare: NonNullable<ContractOptions['compare']>): Promise<void> {
  const other = new RunState({ ...options, baseUrl: compare.baseUrl, token: compare.token, profile: compare.profile }, []);
  other.phase = 'setup';
  try {
    await checkSetUp(other, 'the compare target ', 'CONTRACT_COMPARE_TOKEN / --compare-token');
  } catch (error) {
    if (error instanceof ContractSetupError) throw new ContractSetupError(maskSecret(error.message, compare.token));
    throw error;
  } finally {
    await other.cleanup();
  }
}

/** Run every applicable rule against the target, clean up, and report. */
export async function runAllRules(options: ContractOptions): Promise<ContractReport> {
  const run = await ContractRun.start(options);
  try {
    for (const rule of RULES.executionOrder()) await run.runRule(rule);
  } finally {
    await run.finish();
  }
  return run.finish();
}
