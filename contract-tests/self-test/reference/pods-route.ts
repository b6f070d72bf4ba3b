import { UUID } from '../../uuid.js';
import { monitoredPods } from './matching.js';
import { HttpError, type ReferenceState, type Reply } from './reference-state.js';

/** GET /v2/policy/{id}/pods: the pods a policy monitors. */
export function podsRoute(s: ReferenceState, id: string): Reply {
  if (!UUID.test(id) && !s.has('malformed_id_404_on_pods')) throw new HttpError(400, `policy id ${id} is not a UUID`);
  const p = s.find(id, { includeDeleted: s.has('soft_delete') });
  if (!p) {
    if (s.has('unknown_id_200')) return { status: 200, json: [] };
    throw new HttpError(404, `policy ${id} not found`, s.has('pods_404_bare'));
  }
  return {
    status: 200,
    json: monitoredPods(s, p).map((pod) =>
      s.has('pod_missing_status')
        ? { id: pod.id, name: pod.name, namespace: pod.namespace }
        : s.variant('extra_response_fields')
          ? { ...pod, node: 'node-1', restarts: 0 }
          : pod,
    ),
  };
}
