import fc from 'fast-check';
import type { Exchange } from '../client.js';
import { describeStep, neededPool, stepArbitraries, type ModelStep, type StepSpace } from './model-step.js';
import { ModelMismatch, TargetDriver, type Pools, type StepRecord } from './target-driver.js';
import type { RunState } from '../run-state.js';
import type { LearnedCluster } from './learned-cluster.js';

/** Two targets answered one step differently, beyond their data. */
export class Divergence extends Error {
  constructor(
    readonly step: number,
    readonly signatures: [string[], string[]],
  ) {
    super(`step ${step} answered differently`);
  }
}

export interface TargetUnderTest {
  runState: RunState;
  learned: LearnedCluster;
}

/** The error a sequence ended with, and what each target was sent and answered up to it. */
export interface SequenceFailure {
  error: unknown;
  steps: ModelStep[];
  transcripts: StepRecord[][];
}

export interface SequenceCheck {
  failure?: (SequenceFailure & { seed: number; path: string | undefined; shrinks: number; runs: number }) | undefined;
  runs: number;
}

/** Runs one sequence, step by step, on one target or (differential) on two, each with its own model. */
export class SequenceRunner {
  readonly executed: ModelStep[] = [];
  private constructor(readonly drivers: TargetDriver[]) {}

  static async start(targets: readonly TargetUnderTest[], strict: boolean): Promise<SequenceRunner> {
    const drivers = targets.map((t) => new TargetDriver(t.runState, t.learned, strict));
    for (const d of drivers) await d.begin();
    return new SequenceRunner(drivers);
  }

  async step(step: ModelStep, pools: Pools): Promise<void> {
    this.executed.push(step);
    const description = describeStep(step, pools);
    const outcomes = [];
    for (const driver of this.drivers) outcomes.push(await driver.execute(step, pools, description));
    const [first, second] = outcomes;
    if (!first) return;
    if (second && JSON.stringify(first.signature) !== JSON.stringify(second.signature)) {
      throw new Divergence(this.executed.length, [first.signature, second.signature]);
    }
    // The first target's answers decide which handles exist; a second one that disagreed has thrown above.
    if (first.created !== undefined) {
      pools.live.push(first.created);
      pools.nextHandle++;
    }
    if (first.deleted !== undefined) {
      pools.live = pools.live.filter((h) => h !== first.deleted);
      pools.deleted.push(first.deleted);
    }
  }

  async end(): Promise<void> {
    for (const d of this.drivers) await d.end();
  }

  failure(error: unknown): SequenceFailure {
    return { error, steps: [...this.executed], transcripts: this.drivers.map((d) => d.transcript) };
  }
}

class StepCommand implements fc.AsyncCommand<Pools, SequenceRunner> {
  constructor(readonly step: ModelStep) {}
  check(pools: Readonly<Pools>): boolean {
    const need = neededPool(this.step);
    return need === undefined || pools[need].length > 0;
  }
  run(pools: Pools, runner: SequenceRunner): Promise<void> {
    return runner.step(this.step, pools);
  }
  toString(): string {
    return describeStep(this.step);
  }
}

/** Carries what the failing sequence did out of fast-check, which keeps the error of its smallest counterexample. */
class FailedSequence extends Error {
  constructor(readonly failure: SequenceFailure) {
    super(failure.error instanceof Error ? failure.error.message : String(failure.error));
  }
}

export const freshPools = (): Pools => ({ live: [], deleted: [], nextHandle: 1 });

/**
 * fast-check model-based testing: `runs` generated sequences of up to `maxCommands` steps (seeded),
 * each from an empty pool of policies and cleaned up after; the first failing one is shrunk to the
 * shortest sequence that still fails.
 */
export async function checkSequences(options: {
  targets: readonly TargetUnderTest[];
  strict: boolean;
  space: StepSpace;
  runs: number;
  maxCommands: number;
  seed: number;
  stopped: () => boolean;
}): Promise<SequenceCheck> {
  const commands = stepArbitraries(options.space).map((arb) => arb.map((step) => new StepCommand(step)));
  const property = fc.asyncProperty(fc.commands(commands, { maxCommands: options.maxCommands, size: 'medium' }), async (cmds) => {
    // Past the deadline nothing is sent: the remaining runs pass at once.
    if (options.stopped()) return;
    const runner = await SequenceRunner.start(options.targets, options.strict);
    try {
      await fc.asyncModelRun(() => ({ model: freshPools(), real: runner }), cmds);
    } catch (error) {
      throw new FailedSequence(runner.failure(error));
    } finally {
      await runner.end();
    }
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs });
  if (!details.failed) return { runs: details.numRuns };
  const error = details.errorInstance;
  const failure = error instanceof FailedSequence ? error.failure : { error, steps: [], transcripts: [] };
  return {
    runs: details.numRuns,
    failure: {
      ...failure,
      seed: options.seed,
      path: details.counterexamplePath ?? undefined,
      shrinks: details.numShrinks,
      runs: details.numRuns,
    },
  };
}

/** Replays one sequence once (a saved regression test), with the model strict. */
export async function replaySequence(
  targets: readonly TargetUnderTest[],
  steps: readonly ModelStep[],
): Promise<SequenceFailure | undefined> {
  const runner = await SequenceRunner.start(targets, true);
  const pools = freshPools();
  try {
    for (const step of steps) {
      const need = neededPool(step);
      if (need !== undefined && pools[need].length === 0) continue;
      await runner.step(step, pools);
    }
    return undefined;
  } catch (error) {
    return runner.failure(error);
  } finally {
    await runner.end();
  }
}

/** The exchange that showed a failure: the mismatch's own, or the last of the failing step. */
export function failingExchange(failure: SequenceFailure, target = 0): Exchange | undefined {
  if (failure.error instanceof ModelMismatch && target === 0 && failure.error.exchange) return failure.error.exchange;
  return failure.transcripts[target]?.at(-1)?.exchanges.at(-1);
}
