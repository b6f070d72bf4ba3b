import type { Ref } from '../model-step.js';
import { monitoredPods } from '../policy-model.js';
import type { Pools, StepContext } from '../step-context.js';
import { checkJobStatusAnswer } from './job-status-answer.js';
import { checkJobsAnswer } from './jobs-answer.js';

/** A read of one policy (/pods, /jobs, /job-status): the status the model expects, then the answer's content. */
export async function readStep(c: StepContext, op: 'pods' | 'jobs' | 'jobStatus', ref: Ref, pools: Pools): Promise<void> {
  const s = c.runState;
  const target = c.resolve(ref, pools);
  const exchange = c.note(await (op === 'pods' ? s.pods(target.id) : op === 'jobs' ? s.jobs(target.id) : s.jobStatus(target.id)));
  const p = target.policy;
  const what = op === 'jobStatus' ? '/job-status' : `/${op}`;
  if (!p) {
    const status = op === 'pods' && ref.pool === 'malformed' ? 400 : 404;
    c.expectStatus(
      exchange,
      [status],
      `${what} of ${ref.pool === 'malformed' ? 'a malformed id' : 'an id that names no policy'} → ${status}`,
    );
    return;
  }
  if (op !== 'pods' && p.kind !== 'jobs') {
    c.expectStatus(exchange, [404], `${what} of a policy that is not a jobs policy → 404`);
    return;
  }
  if (!c.expectStatus(exchange, [200], `${what} of a ${p.kind} policy of this run → 200`)) return;
  const where = `policy #${p.handle} (${p.id})`;
  if (op === 'pods')
    c.expectSameSet('/pods lists the pods the policy monitors', exchange.response.json, monitoredPods(p, c.learned), where, exchange);
  else if (op === 'jobs') checkJobsAnswer(c, p, exchange);
  else checkJobStatusAnswer(c, p, exchange);
}
