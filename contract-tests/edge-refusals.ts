import type { RawRequest } from './raw-request.js';
import type { Body } from './run-state.js';

/** Integer fields sent past their format, or as another JSON type: JSON Schema does not coerce. */
export function integerEdgeRefusals(valid: Body): RawRequest[] {
  const jobs = { ...valid, resource: 'jobs', resource_ids: [] };
  const raw = (label: string, body: Body, field: string, literal: string): RawRequest => ({
    label,
    rawBody: withLiteral(body, field, literal),
  });
  return [
    { label: 'heartbeat_time is a boolean', json: { ...valid, heartbeat_time: true } },
    raw('heartbeat_time one past the int64 maximum', valid, 'heartbeat_time', '9223372036854775808'),
    raw('heartbeat_time 2^64 (a uint64 wraps it to 0)', valid, 'heartbeat_time', '18446744073709551616'),
    { label: 'job_filter.priority is a boolean', json: { ...jobs, job_filter: { priority: true } } },
    { label: 'job_filter.priority is a numeric string', json: { ...jobs, job_filter: { priority: '100' } } },
    { label: 'job_filter.priority is not an integer', json: { ...jobs, job_filter: { priority: 100.5 } } },
    { label: 'job_filter.priority 2^32 (an int32 wraps it to 0)', json: { ...jobs, job_filter: { priority: 2 ** 32 } } },
  ];
}

/** `body` as JSON text with `field` set to the number literal given (which a double may not hold). */
export function withLiteral(body: Body, field: string, literal: string): string {
  const marker = 'contract-literal-marker';
  return JSON.stringify({ ...body, [field]: marker }).replace(`"${marker}"`, literal);
}

/**
 * Bodies that are not one JSON document, beyond truncated JSON: a parser that stops at the first
 * value (Go's json.Decoder) takes them for the first; RFC 8259 §2: a JSON text is one value. Bytes
 * that are not UTF-8 (RFC 8259 §8.1) are refused too: 400, or 415 (RFC 9110 §15.5.16), the status
 * for content a server will not decode.
 */
export function malformedBodyForms(validText: string): RawRequest[] {
  const latin1 = Buffer.from(validText.replace(/\}$/, ',"contract_note":"caf\u00e9"}'), 'latin1');
  return [
    { label: 'valid JSON followed by more data', rawBody: `${validText} trailing` },
    { label: 'a second JSON document after the first', rawBody: `${validText}${validText}` },
    { label: 'a second JSON document on the next line', rawBody: `${validText}\n{}` },
    { label: 'a body that is not UTF-8 (Latin-1 é)', rawBody: new Uint8Array(latin1), alsoAllowed: [415] },
  ];
}
