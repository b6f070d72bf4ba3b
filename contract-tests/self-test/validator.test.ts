import { describe, expect, it } from 'vitest';
import { invalidDeleteRequests, invalidPolicyRequests, unknownReferenceRequests, validPolicyBody, type BodyVariant } from '../bodies.js';
import { RESOURCE_KINDS } from '../operations.js';
import { loadSpec } from '../spec.js';
import { SpecValidator } from '../validator.js';
import { REFERENCE_PROFILE } from './reference-data.js';

const validator = new SpecValidator(loadSpec());
const LIST_200 = '#/paths/~1v2~1policy~1list/get/responses/200/content/application~1json/schema';
const entry = { id: 'p', status: 'active', policy_type: 'heartbeat', input: 60, resource: 'pods', resource_list: [], pod_count: 0 };

describe('the suite validates with its own Ajv 2020 over spec/openapi.json', () => {
  it('checks int32 and int64 ranges, not only integrality', () => {
    const filter = (priority: number) => ({ heartbeat_time: 1, resource_ids: [], cluster_id: 'c', job_filter: { priority } });
    expect(validator.validateComponent('PolicyRequest', filter(2 ** 31 - 1))).toEqual([]);
    expect(validator.validateComponent('PolicyRequest', filter(-(2 ** 31)))).toEqual([]);
    expect(validator.validateComponent('PolicyRequest', filter(2 ** 31))).toContainEqual({
      pointer: '/job_filter/priority',
      message: 'must match format "int32"',
    });
    expect(validator.validate(LIST_200, [{ ...entry, input: 2 ** 53 }])).toEqual([]);
    // 9223372036854775807, the int64 maximum, parses to 2^63: the next double past it is out of range.
    expect(validator.validate(LIST_200, [{ ...entry, input: JSON.parse('9223372036854775807') as number }])).toEqual([]);
    expect(validator.validate(LIST_200, [{ ...entry, input: 2 ** 64 }])).toContainEqual({
      pointer: '/0/input',
      message: 'must match format "int64"',
    });
  });

  it('checks uuid and date-time formats', () => {
    const pod = { id: 'pod-1', name: 'n', namespace: 'ns', status: 'Running' };
    expect(validator.validateComponent('PolicyPodResponse', pod)).toContainEqual({ pointer: '/id', message: 'must match format "uuid"' });
    expect(validator.validate(LIST_200, [{ ...entry, timestamp: '2025-01-02T03:04:05Z' }])).toEqual([]);
    expect(validator.validate(LIST_200, [{ ...entry, timestamp: 'Thu, 02 Jan 2025 03:04:05 GMT' }])).toContainEqual({
      pointer: '/0/timestamp',
      message: 'must match format "date-time"',
    });
  });

  it('agrees that the bodies the suite calls valid are valid, and the invalid ones invalid', () => {
    for (const kind of RESOURCE_KINDS) {
      for (const variant of ['minimal', 'full', 'nulls'] as BodyVariant[]) {
        expect(validator.validateComponent('PolicyRequest', validPolicyBody(REFERENCE_PROFILE, kind, 'n', variant))).toEqual([]);
      }
    }
    const valid = validPolicyBody(REFERENCE_PROFILE, 'pods', 'n', 'full');
    const invalid = invalidPolicyRequests(valid, ['heartbeat_time', 'resource_ids', 'cluster_id']).filter(
      (r) => r.json !== undefined && r.contentType === undefined,
    );
    expect(invalid.length).toBeGreaterThan(20);
    for (const request of invalid) expect(validator.validateComponent('PolicyRequest', request.json), request.label).not.toEqual([]);
    for (const request of invalidDeleteRequests(REFERENCE_PROFILE.clusterId).filter((r) => r.json !== undefined)) {
      expect(validator.validateComponent('PolicyDeleteRequest', request.json), request.label).not.toEqual([]);
    }
    // Refused by the API's meaning (README), not by the schema, which accepts them.
    for (const request of unknownReferenceRequests(valid, '00000000-0000-4000-8000-00000000c1a5')) {
      expect(validator.validateComponent('PolicyRequest', request.json), request.label).toEqual([]);
    }
    // PolicyRequest allows additional properties, so positive_data_acceptance may send one.
    expect(validator.validateComponent('PolicyRequest', { ...valid, contract_unknown_field: 'ignored' })).toEqual([]);
  });
});
