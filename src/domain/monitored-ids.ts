import type { Policy } from './model.js';

/**
 * The pod and job ids policies name in `resource_ids`: what a real cluster keeps alive (a
 * container restart keeps its pod), so a simulation must not replace or collect them.
 * Namespaces are never removed, so they need no keeping.
 */
export function monitoredIds(policies: Iterable<Policy>): Set<string> {
  const ids = new Set<string>();
  for (const policy of policies) {
    if (policy.resource === 'pods' || policy.resource === 'jobs') for (const id of policy.resourceIds) ids.add(id);
  }
  return ids;
}
