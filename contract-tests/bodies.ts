import { semantics } from './basis.js';
import type { ContractProfile } from './config.js';
import type { ResourceKind } from './operations.js';
import type { Body } from './run-state.js';
import { INT32_MAX } from './integer-ranges.js';
import { integerEdgeRefusals, malformedBodyForms } from './edge-refusals.js';
import type { RawRequest } from './raw-request.js';

export type { RawRequest } from './raw-request.js';

export type BodyVariant = 'minimal' | 'full' | 'nulls';

/** Resource ids of a kind from the profile: the suite only uses ids the profile says exist. */
export function resourceIds(profile: ContractProfile, kind: ResourceKind, count = 2): string[] {
  switch (kind) {
    case 'pods':
      return profile.podIds.slice(0, count);
    case 'namespace':
      return profile.namespaceIds.slice(0, Math.min(count, 1));
    case 'jobs':
      return profile.jobIds.slice(0, count);
  }
}

/**
 * A body the spec accepts for each kind. `minimal` sends only required fields (plus `resource`
 * where the default, pods, is not the kind); `full` sends every field; `nulls` sends null wherever
 * the schema allows it.
 */
export function validPolicyBody(profile: ContractProfile, kind: ResourceKind, resourceName: string, variant: BodyVariant): Body {
  const base: Body = { heartbeat_time: 60, resource_ids: resourceIds(profile, kind), cluster_id: profile.clusterId };
  if (variant === 'minimal') return kind === 'pods' ? base : { ...base, resource: kind };
  if (variant === 'full') {
    return {
      ...base,
      heartbeat_time: 300,
      resource: kind,
      policy_type: 'heartbeat',
      resource_name: resourceName,
      runc_root: '/run/containerd/runc/k8s.io',
      ...(kind === 'jobs' ? { resource_ids: [], job_filter: { ...profile.jobFilter } } : {}),
    };
  }
  return {
    ...base,
    heartbeat_time: 0,
    id: null,
    resource: kind === 'pods' ? null : kind,
    policy_type: null,
    runc_root: null,
    resource_name: resourceName,
    job_filter: kind === 'jobs' ? { namespace: null, priority: null } : null,
  };
}

/**
 * Requests that a create or update must refuse, derived from a valid body: each required field
 * missing, each field of a wrong type, enum values outside the enum, non-UUID resource ids,
 * negative heartbeat, int32 out of range, malformed JSON, non-JSON content types.
 */
export function invalidPolicyRequests(valid: Body, required: readonly string[]): RawRequest[] {
  const out: RawRequest[] = [];
  const with_ = (label: string, patch: Body) => out.push({ label, json: { ...valid, ...patch } });
  for (const field of required) {
    const rest = { ...valid };
    delete rest[field];
    out.push({ label: `required field ${field} missing`, json: rest });
  }
  with_('heartbeat_time is a string', { heartbeat_time: '60' });
  with_('heartbeat_time is not an integer', { heartbeat_time: 1.5 });
  with_('heartbeat_time is null', { heartbeat_time: null });
  with_('heartbeat_time is negative', { heartbeat_time: -1 });
  with_('resource_ids is a string', { resource_ids: String((valid.resource_ids as string[])[0] ?? 'x') });
  with_('resource_ids holds a number', { resource_ids: [42] });
  with_('resource_ids holds a non-UUID', { resource_ids: ['not-a-uuid'] });
  with_('cluster_id is a number', { cluster_id: 42 });
  with_('cluster_id is null', { cluster_id: null });
  with_('id is a number', { id: 42 });
  with_('resource outside the enum', { resource: 'deployments' });
  with_('resource is a number', { resource: 1 });
  with_('policy_type outside the enum', { policy_type: 'cron' });
  with_('resource_name is a number', { resource_name: 7 });
  with_('runc_root is a number', { runc_root: 7 });
  with_('job_filter is a string', { resource: 'jobs', resource_ids: [], job_filter: 'all' });
  with_('job_filter.namespace is a number', { resource: 'jobs', resource_ids: [], job_filter: { namespace: 5 } });
  with_('job_filter.priority is a string', { resource: 'jobs', resource_ids: [], job_filter: { priority: 'high' } });
  with_('job_filter.priority above int32', { resource: 'jobs', resource_ids: [], job_filter: { priority: INT32_MAX + 1 } });
  with_('job_filter.priority below int32', { resource: 'jobs', resource_ids: [], job_filter: { priority: -INT32_MAX - 2 } });
  out.push(...integerEdgeRefusals(valid), ...malformedBodies(JSON.stringify(valid)));
  return out;
}

/**
 * Requests the schema accepts but the API's meaning refuses (README "How the mock behaves":
 * "`cluster_id` and every `resource_ids` entry must exist in that cluster … else 400"; "An explicit
 * `id` must be a free UUID (else 400)"): a cluster the target does not have, a non-UUID id.
 */
const UNKNOWN_REFERENCE = semantics("`cluster_id` and every `resource_ids` entry must exist in that cluster as the resource's kind");
const EXPLICIT_ID = semantics('An explicit `id` must be a free UUID (else 400)');

export function unknownReferenceRequests(valid: Body, unknownClusterId: string): RawRequest[] {
  return [
    // Valid by the schema: refused by the documented meaning.
    { label: 'cluster_id names no cluster of the target', json: { ...valid, cluster_id: unknownClusterId }, basis: UNKNOWN_REFERENCE },
    { label: 'id is not a UUID', json: { ...valid, id: 'abc' }, basis: EXPLICIT_ID },
  ];
}

/** Bodies that are not a JSON object sent as JSON. */
export function malformedBodies(validText: string): RawRequest[] {
  return [
    { label: 'malformed JSON', rawBody: validText.slice(0, -1) + ',' },
    { label: 'empty body', rawBody: '' },
    { label: 'a JSON array instead of an object', json: [] },
    { label: 'a JSON string instead of an object', json: 'policy' },
    { label: 'JSON null', rawBody: 'null' },
    { label: 'a non-JSON content type (text/plain)', rawBody: validText, contentType: 'text/plain' },
    { label: 'a form-encoded body', rawBody: 'heartbeat_time=60&cluster_id=x', contentType: 'application/x-www-form-urlencoded' },
    ...malformedBodyForms(validText),
  ];
}

export function invalidDeleteRequests(ownId: string): RawRequest[] {
  return [
    { label: 'required field id missing', json: {} },
    { label: 'id is a number', json: { id: 42 } },
    { label: 'id is null', json: { id: null } },
    { label: 'id is not a UUID', json: { id: 'not-a-uuid' } },
    ...malformedBodies(JSON.stringify({ id: ownId })),
  ];
}
