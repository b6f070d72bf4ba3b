import type { ProblemDetail } from '../../domain/refusal.js';
import { parseDelay, type DelayRange } from './delay.js';
import type { FailRates } from './response-control.js';

/** `--delay` and `--fail-rate`, changeable while the mock runs (`PUT /__admin/controls`). */
export interface RuntimeControls {
  delay: DelayRange | undefined;
  failRates: FailRates;
}

/** What `GET /__admin/controls` answers and `PUT` takes: the flags' own syntax. */
export interface ControlsBody {
  /** `"250"` or `"50-400"` (ms), as `--delay`; null for none. */
  delay: string | null;
  /** `{"all": 0.1, "byOperation": {"policy_create": 0.5}}`, rates from 0 to 1, as `--fail-rate`. */
  failRate: FailRates;
}

export function controlsBody(controls: RuntimeControls): ControlsBody {
  const { delay } = controls;
  return {
    delay: delay === undefined ? null : delay.min === delay.max ? String(delay.min) : `${delay.min}-${delay.max}`,
    failRate: controls.failRates,
  };
}

/**
 * Reads a `PUT /__admin/controls` body with the flags' rules; a field left out keeps its value.
 * Either the new controls or every problem, so a bad body changes nothing.
 */
export function readControls(body: unknown, current: RuntimeControls, operationIds: readonly string[]): RuntimeControls | ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return [{ path: '/body', message: 'must be an object {delay, failRate}' }];
  const { delay, failRate, ...rest } = body as Record<string, unknown>;
  for (const key of Object.keys(rest)) problems.push({ path: `/body/${key}`, message: 'is not a control (delay, failRate)' });
  let next: RuntimeControls = { ...current };
  if (delay === null) next = { ...next, delay: undefined };
  else if (typeof delay === 'string' || typeof delay === 'number') {
    try {
      next = { ...next, delay: parseDelay(String(delay)) };
    } catch (error) {
      problems.push({ path: '/body/delay', message: (error as Error).message });
    }
  } else if (delay !== undefined) problems.push({ path: '/body/delay', message: 'must be "MS" or "MIN-MAX" in milliseconds, or null' });
  if (failRate !== undefined) {
    const rates = failRate === null ? {} : failRate;
    const rateProblem = (value: unknown) =>
      typeof value === 'number' && value >= 0 && value <= 1 ? undefined : 'must be a rate from 0 to 1';
    if (typeof rates !== 'object' || Array.isArray(rates))
      problems.push({ path: '/body/failRate', message: 'must be {all?, byOperation?}' });
    else {
      const { all, byOperation, ...others } = rates as Record<string, unknown>;
      for (const key of Object.keys(others)) problems.push({ path: `/body/failRate/${key}`, message: 'is not all or byOperation' });
      if (all !== undefined && rateProblem(all)) problems.push({ path: '/body/failRate/all', message: rateProblem(all)! });
      if (byOperation !== undefined && (typeof byOperation !== 'object' || byOperation === null || Array.isArray(byOperation))) {
        problems.push({ path: '/body/failRate/byOperation', message: 'must be {operationId: rate}' });
      } else {
        for (const [id, rate] of Object.entries((byOperation ?? {}) as Record<string, unknown>)) {
          if (!operationIds.includes(id))
            problems.push({
              path: `/body/failRate/byOperation/${id}`,
              message: `names no operation; operations: ${operationIds.join(', ')}`,
            });
          else if (rateProblem(rate)) problems.push({ path: `/body/failRate/byOperation/${id}`, message: rateProblem(rate)! });
        }
      }
      next = { ...next, failRates: rates };
    }
  }
  return problems.length > 0 ? problems : next;
}
