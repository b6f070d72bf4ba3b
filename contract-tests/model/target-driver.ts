import { keptExchange, type Exchange } from '../client.js';
import { OP } from '../operations.js';
import type { PolicyEntry, RunState } from '../run-state.js';
import type { LearnedCluster } from './learned-cluster.js';
import type { ModelStep } from './model-step.js';
import { exchangeSignature, fieldsOf } from './response-shape.js';
import { StepContext, type Pools, type StepOutcome, type StepRecord } from './step-context.js';
import { createStep } from './steps/create-step.js';
import { deleteStep } from './steps/delete-step.js';
import { listStep } from './steps/list-step.js';
import { readStep } from './steps/read-step.js';
import { syncStep } from './steps/sync-step.js';
import { unauthorizedStep } from './steps/unauthorized-step.js';
import { updateStep } from './steps/update-step.js';

export { describe, mismatchKey, ModelMismatch, type Pools, type StepOutcome, type StepRecord } from './step-context.js';

/**
 * Runs model steps against one target and holds it to the API's meaning: each answer is checked
 * against what the model expects, and the model follows what the target accepted. `strict` throws
 * the first mismatch (model_conformance); otherwise mismatches only go into the step's signature
 * (differential_agreement compares them between targets). Each operation's step is one file of
 * steps/; what they share (the model's policies, the checks) is the StepContext.
 */
export class TargetDriver {
  readonly transcript: StepRecord[] = [];
  private readonly context: StepContext;

  constructor(
    readonly runState: RunState,
    readonly learned: LearnedCluster,
    readonly strict: boolean,
    known: ReadonlySet<string> = new Set(),
  ) {
    this.context = new StepContext(runState, learned, strict, known);
  }

  async begin(): Promise<void> {
    const { policies } = await this.runState.list();
    this.context.before = new Set((policies ?? []).map((p) => p.id));
  }

  /** Delete what the sequence left; the run state deletes anything still its own at the end of the run. */
  async end(): Promise<void> {
    for (const policy of this.context.live.values()) await this.runState.deleteId(policy.id);
    this.context.live.clear();
  }

  async execute(step: ModelStep, pools: Pools, description: string): Promise<StepOutcome> {
    const c = this.context;
    c.current = { description, exchanges: [], problems: [] };
    this.transcript.push(c.current);
    const outcome: StepOutcome = { signature: [] };
    switch (step.op) {
      case 'create':
        await createStep(c, step, pools, outcome);
        break;
      case 'update':
        await updateStep(c, step, pools);
        break;
      case 'delete':
        await deleteStep(c, step.target, pools, outcome);
        break;
      case 'list':
        await listStep(c, pools);
        break;
      case 'sync':
        await syncStep(c);
        break;
      case 'pods':
      case 'jobs':
      case 'jobStatus':
        await readStep(c, step.op, step.target, pools);
        break;
      case 'inspect':
        for (const op of ['pods', 'jobs', 'jobStatus'] as const) await readStep(c, op, step.target, pools);
        break;
      case 'unauth':
        await unauthorizedStep(c, step.operation, step.auth, step.target, pools);
        break;
    }
    outcome.signature.push(...c.current.exchanges.map((ex) => this.signatureOf(ex)), ...c.current.problems.map((p) => `broke: ${p}`));
    // Judged and signed: the transcript keeps what a report shows of each exchange, not whole answers.
    c.current.exchanges = c.current.exchanges.map(keptExchange);
    return outcome;
  }

  // ---- the differential's view ----

  private signatureOf(exchange: Exchange): string {
    const view = this.context.shapeView;
    const body = exchange.response.json;
    if (exchange.operationId !== OP.list || !Array.isArray(body)) return exchangeSignature(exchange, view);
    // Only this run's policies, by handle: everything else in list is each target's own data.
    const byId = new Map([...this.context.live.values()].map((p) => [p.id, p.handle]));
    const own = (body as PolicyEntry[])
      .filter((e) => typeof e === 'object' && e !== null && byId.has(e.id))
      .map((e) => {
        const entry = e as PolicyEntry & Record<string, unknown>;
        // Values that mean the same on any target; the rest by shape (present, null, type).
        const same = `resource ${String(entry.resource)}, status ${String(entry.status)}, policy_type ${String(entry.policy_type)}`;
        return { handle: byId.get(e.id) ?? 0, lines: [same, ...fieldsOf(entry, view)].map((line) => `#${byId.get(e.id)} ${line}`) };
      })
      .sort((a, b) => a.handle - b.handle);
    return [exchangeSignature(exchange, view, []), ...own.flatMap((o) => o.lines)].join(' | ');
  }
}
