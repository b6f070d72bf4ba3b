import { validPolicyBody } from '../bodies.js';
import type { RunState } from '../run-state.js';

const tours = new WeakMap<RunState, Promise<void>>();

/**
 * One pass over every operation and its declared outcomes, so the shape rules have something to
 * judge even when run on their own. Run once per contract run; every other scenario's exchanges are
 * judged as well.
 */
export function conformanceTour(runState: RunState): Promise<void> {
  let tour = tours.get(runState);
  if (!tour) tours.set(runState, (tour = runTour(runState)));
  return tour;
}

async function runTour(s: RunState): Promise<void> {
  await s.list();
  const ids: string[] = [];
  for (const kind of ['pods', 'jobs'] as const) {
    const body = validPolicyBody(s.profile, kind, s.resourceName(`tour-${kind}`), 'full');
    const { id } = await s.createJson(body);
    if (id === undefined) continue;
    ids.push(id);
    await s.pods(id);
    await s.jobs(id);
    await s.jobStatus(id);
    await s.update({ json: { ...body, id, heartbeat_time: 120 } });
  }
  await s.syncJobs();
  await s.list();
  const unknown = s.random.uuid();
  await s.pods('not-a-uuid');
  await s.pods(unknown);
  await s.jobs(unknown);
  await s.jobStatus(unknown);
  await s.create({ json: {} });
  await s.update({ json: {} });
  await s.delete({ json: {} });
  await s.deleteId(unknown);
  for (const id of ids) await s.deleteId(id);
  // An operation of the spec that the steps above do not know yet is still judged, on a bare request.
  for (const op of s.operationsInOrder()) {
    if (s.sentTo.has(op.operationId)) continue;
    await s.send({
      operationId: op.operationId,
      ...(op.pathParameters.length > 0 ? { pathId: unknown } : {}),
      ...(op.requestSchema ? { json: {} } : {}),
    });
  }
}
