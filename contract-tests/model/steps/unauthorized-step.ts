import type { AuthMode } from '../../client.js';
import { OP } from '../../operations.js';
import { idFromText, type Body } from '../../run-state.js';
import type { AnyOp, Ref } from '../model-step.js';
import { describe, type Pools, type StepContext } from '../step-context.js';

const OPERATION_IDS: Record<AnyOp, string> = {
  create: OP.create,
  update: OP.update,
  delete: OP.delete,
  list: OP.list,
  sync: OP.syncJobs,
  pods: OP.pods,
  jobs: OP.jobs,
  jobStatus: OP.jobStatus,
};

const AUTH_MODES: Record<'none' | 'wrong' | 'malformed', AuthMode> = { none: 'none', wrong: 'wrong', malformed: 'malformed' };

export async function unauthorizedStep(
  c: StepContext,
  operation: AnyOp,
  auth: 'none' | 'wrong' | 'malformed',
  ref: Ref,
  pools: Pools,
): Promise<void> {
  const s = c.runState;
  const target = c.resolve(ref, pools);
  const operationId = OPERATION_IDS[operation];
  const body: Body = {
    heartbeat_time: 77,
    resource_ids: [s.profile.podIds[0]],
    cluster_id: s.profile.clusterId,
    resource_name: s.resourceName('model-auth'),
  };
  const json =
    operation === 'create'
      ? body
      : operation === 'update'
        ? { ...body, id: target.id }
        : operation === 'delete'
          ? { id: target.id }
          : undefined;
  const op = s.operation(operationId);
  const exchange = c.note(
    await s.send({
      operationId,
      auth: AUTH_MODES[auth],
      ...(op.pathParameters.length > 0 ? { pathId: target.id } : {}),
      ...(json ? { json } : {}),
    }),
  );
  if (operation === 'create' && exchange.response.status === 200) c.adoptAccidental(idFromText(exchange.response.text));
  const { status, json: answer } = exchange.response;
  const apiError = answer !== undefined && s.validator.validateComponent('ApiError', answer).length === 0;
  c.expect(
    (status === 401 || status === 403) && apiError,
    'a request without a valid bearer token is refused (401/403 with an ApiError) and changes nothing',
    () => `answered ${describe(exchange)}`,
    operationId,
    exchange,
  );
}
