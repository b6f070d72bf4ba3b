import type { Policy, StoreData } from '../../domain/model.js';
import type { operations } from '../../spec/openapi-types.js';
import type { OperationId } from '../../spec/spec-index.js';

type BodyOf<Id extends OperationId> = operations[Id] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

/** An operation's request, as Swagger UI's "Try it out" fills it in. */
export interface TryItOut<Id extends OperationId = OperationId> {
  body?: BodyOf<Id>;
  params?: Record<string, string>;
}

export type TryItOutExamples = { [Id in OperationId]?: TryItOut<Id> };

/**
 * Requests each operation accepts against `data` as it is now: ids that exist, a create that
 * needs no `id`. Delete takes a policy none of the other examples uses, so trying delete does not
 * break them (until the page is reloaded, which picks another).
 */
export function tryItOutExamples(data: StoreData): TryItOutExamples {
  const { policies } = data;
  const pods = policies.find((p) => p.resource === 'pods') ?? policies[0];
  const jobs = policies.find((p) => p.resource === 'jobs') ?? policies[0];
  const spare = policies.findLast((p) => p !== pods && p !== jobs) ?? policies.at(-1);
  const namespace = data.namespaces[0];
  const examples: TryItOutExamples = {};
  if (namespace) {
    examples.policy_create = {
      body: {
        cluster_id: namespace.clusterId,
        heartbeat_time: 300,
        resource: 'namespace',
        resource_ids: [namespace.id],
        resource_name: `${namespace.name}-namespace`,
      },
    };
  }
  if (pods) {
    examples.policy_update = { body: asRequest(pods) };
    examples.policy_pods = { params: { policy_id: pods.id } };
  }
  if (jobs) {
    examples.policy_jobs = { params: { policy_id: jobs.id } };
    examples.get_job_policy_status = { params: { policy_id: jobs.id } };
  }
  if (spare) examples.policy_delete = { body: { id: spare.id } };
  return examples;
}

/** An update that keeps the policy as it is. */
function asRequest(policy: Policy): BodyOf<'policy_update'> {
  return {
    id: policy.id,
    cluster_id: policy.clusterId,
    heartbeat_time: policy.heartbeatTime,
    resource: policy.resource,
    resource_ids: policy.resourceIds,
    ...(policy.resourceName === null ? {} : { resource_name: policy.resourceName }),
    ...(policy.jobFilter === null ? {} : { job_filter: policy.jobFilter }),
  };
}
