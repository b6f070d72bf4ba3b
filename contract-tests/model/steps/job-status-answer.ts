import type { Exchange } from '../../client.js';
import { OP } from '../../operations.js';
import type { ModelPolicy } from '../policy-model.js';
import type { StepContext } from '../step-context.js';

/** A 200 of /job-status of a jobs policy: what its last sync tracked, the urgency, the counts and last_updated. */
export function checkJobStatusAnswer(c: StepContext, p: ModelPolicy, exchange: Exchange): void {
  const where = `policy #${p.handle} (${p.id})`;
  const b = (exchange.response.json ?? {}) as Record<string, unknown>;
  c.expect(
    b.policy_id === p.id,
    `/job-status policy_id is the policy's id`,
    () => `${where}: ${JSON.stringify(b.policy_id)}`,
    exchange.operationId,
    exchange,
  );
  const synced = p.synced;
  c.expectSameSet(
    '/job-status job_ids are the jobs matched at the last sync (create, update or sync-jobs)',
    b.job_ids,
    synced?.jobIds,
    where,
    exchange,
  );
  c.expectSameSet(
    '/job-status tracked_pods are the pods of the jobs matched at the last sync',
    b.tracked_pods,
    synced?.podIds,
    where,
    exchange,
  );
  const wantStatus = synced?.jobStatus;
  if (wantStatus !== undefined) {
    c.expect(
      wantStatus === null ? b.job_status == null : b.job_status === wantStatus,
      '/job-status job_status is the most urgent status of the jobs tracked at the last sync, as /jobs reports them (README: "Running, Suspended, Failed, Complete"), null when none is tracked',
      () => `${where}: job_status ${JSON.stringify(b.job_status)}, the model expects ${JSON.stringify(wantStatus)}`,
      OP.jobStatus,
      exchange,
    );
  }
  const tracked = Array.isArray(b.tracked_pods) ? b.tracked_pods.length : undefined;
  c.expect(
    b.pod_count === tracked,
    '/job-status pod_count is the number of tracked_pods',
    () => `${where}: pod_count ${JSON.stringify(b.pod_count)}, ${String(tracked)} tracked_pods`,
    OP.jobStatus,
    exchange,
  );
  const moved = p.lastUpdated.observe(b.last_updated);
  if (moved) {
    const label = moved.moved
      ? '/job-status last_updated moves forward at each sync of the policy (create, update, sync-jobs)'
      : '/job-status last_updated stays as it was between syncs';
    c.expect(
      false,
      label,
      () => `${where}: was ${JSON.stringify(moved.from)}, now ${JSON.stringify(b.last_updated)}`,
      OP.jobStatus,
      exchange,
    );
  }
}
