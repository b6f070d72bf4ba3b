import type { Exchange } from '../client.js';
import { idFromText } from '../run-state.js';
import { UUID } from '../uuid.js';

/** A JSON value's shape: types, which fields are present and which are null, never the data. */
export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${[...new Set(value.map(shapeOf))].sort().join('|')}]`;
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'number';
  if (typeof value !== 'object') return typeof value;
  const fields = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${fields.map(([k, v]) => `${k}:${shapeOf(v)}`).join(',')}}`;
}

/**
 * What two implementations must agree on for one exchange, beyond their data: the status, the
 * media type, the body's shape, and for an error whether its `code` is the status. `list` bodies
 * are reduced by the caller to the run's own policies, as others differ from target to target.
 */
export function exchangeSignature(exchange: Exchange, body: unknown = exchange.response.json): string {
  const r = exchange.response;
  if (r.status === 0) return 'no answer';
  let shape: string;
  if (r.text === '') shape = 'empty';
  else if (body !== undefined) {
    shape = shapeOf(body);
    if (r.status >= 400 && typeof body === 'object' && body !== null && !Array.isArray(body)) {
      shape += (body as { code?: unknown }).code === String(r.status) ? ' code=status' : ' code≠status';
    }
  } else shape = UUID.test(idFromText(r.text) ?? '') ? 'text: a UUID' : 'text';
  return `${r.status} ${r.mediaType || '(no content type)'} ${shape}`;
}
