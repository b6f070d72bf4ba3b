import type { Exchange } from '../../client.js';
import { OP } from '../../operations.js';
import { matchedJobs, type ModelPolicy } from '../policy-model.js';
import type { StepContext } from '../step-context.js';

/** A 200 of /jobs of a jobs policy: its id, the jobs it matches, their count and each one's pod_count. */
export function checkJobsAnswer(c: StepContext, p: ModelPolicy, exchange: Exchange): void {
  const where = `policy #${p.handle} (${p.id})`;
  const b = (exchange.response.json ?? {}) as Record<string, unknown>;
  c.expect(
    b.policy_id === p.id,
    `/jobs policy_id is the policy's id`,
    () => `${where}: ${JSON.stringify(b.policy_id)}`,
    exchange.operationId,
    exchange,
  );
  const matched = new Set(matchedJobs(p, c.learned));
  c.expectSameSet(
    '/jobs affected_jobs are the jobs the policy matches (its resource_ids, or every job, narrowed by job_filter)',
    b.affected_jobs,
    matched,
    where,
    exchange,
  );
  c.expect(
    b.count === matched.size,
    '/jobs count is the number of jobs matched',
    () => `${where}: count ${JSON.stringify(b.count)}, the model expects ${matched.size}`,
    OP.jobs,
    exchange,
  );
  // README: "Counts agree everywhere": each job's pod_count is the number of its pods (/pods of a policy on it).
  const affected = Array.isArray(b.affected_jobs) ? (b.affected_jobs as { id?: unknown; pod_count?: unknown }[]) : [];
  const miscounted = affected.filter((j) => {
    const pods = c.learned.jobPods.get(String(j?.id));
    return pods !== undefined && j?.pod_count !== pods.size;
  });
  c.expect(
    miscounted.length === 0,
    "/jobs affected_jobs[].pod_count is the number of the job's pods (as /pods of a jobs policy on that job lists them)",
    () =>
      `${where}: ${miscounted
        .map((j) => `job ${String(j.id)} pod_count ${JSON.stringify(j.pod_count)}, ${c.learned.jobPods.get(String(j.id))?.size} pod(s)`)
        .join('; ')}`,
    OP.jobs,
    exchange,
  );
}
