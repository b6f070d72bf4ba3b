import type { Exchange } from '../client.js';
import { OP } from '../operations.js';
import { UUID } from '../uuid.js';
import { judgement, type Judgement } from './judgement.js';

export interface ExchangeFacts {
  exchange: Exchange;
  pathId?: string | undefined;
  /** The request's body breaks its schema (a client finding): a faithful backend refuses it. */
  invalidBody: boolean;
  /** The client asked the mock for a status or a delay (`Prefer`): the answer is not the backend's own. */
  preferred: boolean;
  /** A token is configured and refusals of others are expected (--expect-auth). */
  expectAuth: boolean;
}

const ok2xx = (status: number) => status >= 200 && status < 300;

/**
 * The suite's rules that one exchange is enough to judge, beyond the shape judges: a certainly
 * invalid body refused, no 5xx, a malformed id's declared status, a request without the token
 * refused, and the counts one answer holds agreeing with themselves.
 */
export function checkSingleExchange(facts: ExchangeFacts): Judgement[] {
  const { exchange, pathId } = facts;
  const { operationId } = exchange;
  const { status, json } = exchange.response;
  const out: Judgement[] = [];
  if (exchange.auth !== 'token') {
    if (facts.expectAuth) {
      out.push(
        judgement('ignored_auth', operationId, !ok2xx(status), 'a request without the valid bearer token is refused (401/403)', {
          exchange,
        }),
      );
    }
    return out; // what an unauthenticated request gets says nothing more of the API's meaning
  }
  if (facts.preferred) return out;
  out.push(judgement('not_a_server_error', operationId, status < 500, 'no 5xx, whatever the request', { exchange }));
  if (facts.invalidBody) {
    out.push(
      judgement(
        'negative_data_rejection',
        operationId,
        !ok2xx(status),
        'a request whose body breaks its schema is refused (a declared 4xx)',
        {
          exchange,
        },
      ),
    );
  }
  if (pathId !== undefined && !UUID.test(pathId) && status < 500) {
    const want = operationId === OP.pods ? 400 : 404;
    out.push(judgement('unknown_id', operationId, status === want, `a malformed policy id → ${want}`, { exchange }));
  }
  if (status !== 200 || typeof json !== 'object' || json === null) return out;
  const body = json as Record<string, unknown>;
  if (operationId === OP.jobs && Array.isArray(body.affected_jobs)) {
    out.push(
      judgement(
        'cross_endpoint_consistency',
        operationId,
        body.count === body.affected_jobs.length,
        '/jobs count equals the length of affected_jobs',
        {
          exchange,
          actual: `count ${String(body.count)}, ${body.affected_jobs.length} affected_jobs`,
        },
      ),
      judgement('cross_endpoint_consistency', operationId, body.policy_id === pathId, "/jobs policy_id is the policy's id", { exchange }),
    );
  }
  if (operationId === OP.jobStatus && Array.isArray(body.tracked_pods)) {
    out.push(
      judgement(
        'cross_endpoint_consistency',
        operationId,
        body.pod_count === body.tracked_pods.length,
        '/job-status pod_count equals the length of tracked_pods',
        { exchange, actual: `pod_count ${String(body.pod_count)}, ${body.tracked_pods.length} tracked_pods` },
      ),
      judgement('cross_endpoint_consistency', operationId, body.policy_id === pathId, "/job-status policy_id is the policy's id", {
        exchange,
      }),
    );
  }
  return out;
}
