import fc from 'fast-check';
import type { Exchange } from '../client.js';
import { describeStep, neededPool, stepArbitraries, type ModelStep, type StepSpace } from './model-step.js';
import { mismatchKey, ModelMismatch, TargetDriver, type Pools, type StepRecord } from './target-driver.js';
import type { RunState } from '../run-state.js';
import type { LearnedCluster } from './learned-cluster.js';

/** Two targets answered one step differently, beyond their data. */
export class Divergence extends Error {
  constructor(
    readonly step: number,
    /** The step's operation (`create`, `list`, …): part of what makes this divergence distinct. */
    readonly operation: string,
    readonly signatures: [string[], string[]],
  ) {
    super(`step ${step} answered differently`);
  }
}

/**
 * What makes a failure distinct from another of the same rule: the operation and the broken
 * expectation (a model mismatch), the lines two targets differ in (a divergence), else the error.
 */
export function failureSignature(error: unknown): string {
  if (error instanceof ModelMismatch) return mismatchKey(error.operationId, error.label);
  if (error instanceof Divergence) {
    const [a, b] = error.signatures;
    const differing = [...a.filter((line) => !b.includes(line)), '|', ...b.filter((line) => !a.includes(line))];
    return `${error.operation} ${differing.join('\n')}`;
  }
  return `error ${error instanceof Error ? error.message : String(error)}`;
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

/** One distinct failure, shrunk: `seed` and `path` replay the round of generation that found it. */
export type FoundFailure = SequenceFailure & { seed: number; path: string | undefined; shrinks: number; runs: number; signature: string };

export interface SequenceCheck {
  /** Distinct failures (failureSignature), each shrunk, in the order found; at most `maxFailures`. */
  failures: FoundFailure[];
  runs: number;
}

/** Runs one sequence, step by step, on one target or (differential) on two, each with its own model. */
export class SequenceRunner {
  readonly executed: ModelStep[] = [];
  private constructor(readonly drivers: TargetDriver[]) {}

  /** `known`: signatures of failures already reported, which a strict model notes and goes past. */
  static async start(
    targets: readonly TargetUnderTest[],
    strict: boolean,
    known: ReadonlySet<string> = new Set(),
  ): Promise<SequenceRunner> {
    const drivers = targets.map((t) => new TargetDriver(t.runState, t.learned, strict, known));
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
      throw new Divergence(this.executed.length, step.op, [first.signature, second.signature]);
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
 * fast-check model-based testing: up to `runs` generated sequences of up to `maxCommands` steps
 * (seeded), each from an empty pool of policies and cleaned up after. A failing sequence is shrunk
 * to the shortest one that still fails; then generation goes on (next seed, the runs left) with
 * that failure known, so up to `maxFailures` distinct failures are found in one run.
 */
export async function checkSequences(options: {
  targets: readonly TargetUnderTest[];
  strict: boolean;
  space: StepSpace;
  runs: number;
  maxCommands: number;
  maxFailures: number;
  seed: number;
  stopped: () => boolean;
}): Promise<SequenceCheck> {
  const known = new Set<string>();
  const failures: FoundFailure[] = [];
  let used = 0;
  for (let round = 0; used < options.runs && failures.length < options.maxFailures && !options.stopped(); round++) {
    const seed = options.seed + round;
    const details = await fc.check(sequenceProperty(options, known), { seed, numRuns: options.runs - used });
    used += Math.max(details.numRuns, 1);
    if (!details.failed) break;
    const error = details.errorInstance;
    const failure = error instanceof FailedSequence ? error.failure : { error, steps: [], transcripts: [] };
    const signature = failureSignature(failure.error);
    // A failure that ignoring known ones cannot get past (it did not come from a step) ends the search.
    if (known.has(signature)) break;
    known.add(signature);
    failures.push({ ...failure, seed, path: details.counterexamplePath ?? undefined, shrinks: details.numShrinks, runs: used, signature });
  }
  return { runs: used, failures };
}

function sequenceProperty(options: Parameters<typeof checkSequences>[0], known: ReadonlySet<string>) {
  const commands = stepArbitraries(options.space).map((arb) => arb.map((step) => new StepCommand(step)));
  return fc.asyncProperty(fc.commands(commands, { maxCommands: options.maxCommands, size: 'medium' }), async (cmds) => {
    // Past the deadline nothing is sent: the remaining runs pass at once.
    if (options.stopped()) return;
    const runner = await SequenceRunner.start(options.targets, options.strict, known);
    try {
      await fc.asyncModelRun(() => ({ model: freshPools(), real: runner }), cmds);
    } catch (error) {
      // A failure already reported ends this sequence: another may only show after it.
      if (known.has(failureSignature(error))) return;
      throw new FailedSequence(runner.failure(error));
    } finally {
      await runner.end();
    }
  });
}

/** Replays one sequence once (a saved failure), with the model strict: what was sent and answered, and the failure if any. */
export async function replaySequence(
  targets: readonly TargetUnderTest[],
  steps: readonly ModelStep[],
): Promise<{ failure?: SequenceFailure; transcript: StepRecord[] }> {
  const runner = await SequenceRunner.start(targets, true);
  const pools = freshPools();
  const transcript = () => runner.drivers[0]?.transcript ?? [];
  try {
    for (const step of steps) {
      const need = neededPool(step);
      if (need !== undefined && pools[need].length === 0) continue;
      await runner.step(step, pools);
    }
    return { transcript: transcript() };
  } catch (error) {
    return { failure: runner.failure(error), transcript: transcript() };
  } finally {
    await runner.end();
  }
}

/** The exchange that showed a failure: the mismatch's own, or the last of the failing step. */
export function failingExchange(failure: SequenceFailure, target = 0): Exchange | undefined {
  if (failure.error instanceof ModelMismatch && target === 0 && failure.error.exchange) return failure.error.exchange;
  return failure.transcripts[target]?.at(-1)?.exchanges.at(-1);
}
