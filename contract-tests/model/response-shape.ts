import type { Exchange } from '../client.js';
import { idFromText } from '../run-state.js';
import type { SpecDocument } from '../spec.js';
import { UUID } from '../uuid.js';

/**
 * What of a body two implementations must agree on. By default what the contract makes meaningful:
 * the declared properties present (an extra one is not a difference), their types, and null only
 * where the schema forbids it; an error's `details`, `message` text and `code` not at all (what
 * `code` holds is error_code_is_status's). `strict` compares every property, null and code too.
 */
export interface ShapeView {
  strict: boolean;
  /** Property names the spec's response schemas declare. */
  declared: ReadonlySet<string>;
  /** Of those, the ones a response schema lets be null. */
  nullable: ReadonlySet<string>;
}

/** The view of `spec`'s response schemas (request schemas left out: a response never holds them). */
export function shapeView(spec: SpecDocument, strict: boolean): ShapeView {
  const requestOnly = new Set<string>();
  const refs = (node: unknown, into: Set<string>) => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.split('/').pop() ?? '';
        if (!into.has(name)) {
          into.add(name);
          refs(spec.components.schemas[name], into);
        }
      } else refs(value, into);
    }
  };
  for (const methods of Object.values(spec.paths))
    for (const op of Object.values(methods)) refs((op as { requestBody?: unknown }).requestBody, requestOnly);
  const declared = new Set<string>();
  const nullable = new Set<string>();
  const walk = (schema: unknown) => {
    if (typeof schema !== 'object' || schema === null) return;
    const properties = (schema as { properties?: Record<string, unknown> }).properties ?? {};
    for (const [name, property] of Object.entries(properties)) {
      declared.add(name);
      if (JSON.stringify(property).includes('"null"')) nullable.add(name);
      walk(property);
    }
    for (const value of Object.values(schema)) if (typeof value === 'object') walk(value);
  };
  for (const [name, schema] of Object.entries(spec.components.schemas)) if (!requestOnly.has(name) || name === 'ApiError') walk(schema);
  return { strict, declared, nullable };
}

const ERROR_FREE_TEXT = new Set(['details', 'message', 'code']);

/** A JSON value's fields, one `path: type` each (array items merged), never the data. */
export function fieldsOf(value: unknown, view: ShapeView, path = '', out = new Set<string>()): Set<string> {
  const at = path || '/';
  if (value === null) out.add(`${at}: null`);
  else if (Array.isArray(value)) {
    if (value.length === 0) out.add(`${at}: []`);
    for (const item of value) fieldsOf(item, view, `${path}/[]`, out);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.add(`${at}: {}`);
    for (const [key, field] of entries) {
      const keyPath = `${path}/${key}`;
      if (view.strict) fieldsOf(field, view, keyPath, out);
      else if (!view.declared.has(key))
        continue; // an extra property: the schemas allow them
      else if (ERROR_FREE_TEXT.has(key)) out.add(`${keyPath}: present`);
      else if (view.nullable.has(key) && (field === null || typeof field !== 'object')) out.add(`${keyPath}: present (may be null)`);
      else fieldsOf(field, view, keyPath, out);
    }
  } else out.add(`${at}: ${typeof value === 'number' ? (Number.isInteger(value) ? 'int' : 'number') : typeof value}`);
  return out;
}

/** One answer as the lines two implementations must agree on: status, media type, then its fields. */
export function exchangeSignature(exchange: Exchange, view: ShapeView, body: unknown = exchange.response.json): string {
  const r = exchange.response;
  if (r.status === 0) return 'no answer';
  const head = `${r.status} ${r.mediaType || '(no content type)'}`;
  if (r.text === '') return `${head} | empty`;
  if (body === undefined) return `${head} | ${UUID.test(idFromText(r.text) ?? '') ? 'text: a UUID' : 'text'}`;
  const fields = [...fieldsOf(body, view)].sort();
  if (view.strict && r.status >= 400 && typeof body === 'object' && body !== null && !Array.isArray(body)) {
    fields.push((body as { code?: unknown }).code === String(r.status) ? 'code = status' : 'code ≠ status');
  }
  return [head, ...fields].join(' | ');
}
