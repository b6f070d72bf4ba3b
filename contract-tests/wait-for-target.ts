import { ContractSetupError } from './config.js';
import { sendRequest } from './send-request.js';
import { httpsAgentFor, type TargetTls } from './target-tls.js';

const POLL_INTERVAL_MS = 250;
/** Any answer will do: read no more of it than this. */
const PROBE_BYTES = 64 * 1024;

/**
 * Polls until the target gives any HTTP answer (a service still starting refuses connections),
 * for at most `waitMs`; a target that never answers in that time is a set-up error.
 */
export async function waitForTarget(baseUrl: string, waitMs: number, requestTimeoutMs: number, tls?: TargetTls): Promise<void> {
  const agent = baseUrl.startsWith('https:') ? httpsAgentFor(tls) : undefined;
  const url = `${baseUrl.replace(/\/+$/, '')}/v2/policy/list`;
  const until = Date.now() + waitMs;
  let last = 'no answer';
  for (;;) {
    const left = until - Date.now();
    const timeoutMs = Math.max(1, Math.min(requestTimeoutMs, left));
    if (agent) {
      const answer = await sendRequest(url, 'GET', [], undefined, { timeoutMs, maxBytes: PROBE_BYTES, agent });
      if (!('error' in answer) || answer.error.includes('size cap')) return;
      last = answer.error;
    } else
      try {
        const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel().catch(() => {});
        return;
      } catch (error) {
        const cause = (error as { cause?: unknown }).cause;
        last = cause instanceof Error ? cause.message : (error as Error).message;
      }
    if (Date.now() + POLL_INTERVAL_MS > until) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new ContractSetupError(`no answer from ${baseUrl} within ${waitMs / 1000} s (--wait-for-target): ${last}`);
}
