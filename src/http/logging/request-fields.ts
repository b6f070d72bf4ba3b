import type { JsonObject, OpenApiDocument } from '../../spec/openapi-document.js';
import type { Operation } from '../../spec/spec-index.js';

/**
 * The fields an operation's JSON request body declares, one level of nesting deep
 * (`job_filter.namespace`), read from the spec: what a client could send.
 */
export function requestFields(document: OpenApiDocument, op: Operation): string[] {
  const item = document.paths?.[op.path] as Record<string, JsonObject> | undefined;
  const body = item?.[op.method.toLowerCase()]?.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
  const schema = resolve(document, body?.content?.['application/json']?.schema);
  const fields: string[] = [];
  for (const [name, property] of Object.entries(propertiesOf(document, schema))) {
    fields.push(name);
    for (const child of Object.keys(propertiesOf(document, resolve(document, property)))) fields.push(`${name}.${child}`);
  }
  return fields;
}

function resolve(document: OpenApiDocument, schema: unknown): JsonObject | undefined {
  const ref = (schema as { $ref?: unknown } | undefined)?.$ref;
  if (typeof ref !== 'string') return schema as JsonObject | undefined;
  const name = ref.replace('#/components/schemas/', '');
  return document.components?.schemas?.[name] as JsonObject | undefined;
}

/** Properties of an object schema, or of the object branch of a `oneOf`/`anyOf` (`null | JobFilter`). */
function propertiesOf(document: OpenApiDocument, schema: JsonObject | undefined): Record<string, unknown> {
  if (!schema) return {};
  if (typeof schema.properties === 'object' && schema.properties !== null) return schema.properties as Record<string, unknown>;
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    for (const branch of (schema[key] ?? []) as unknown[]) {
      const props = propertiesOf(document, resolve(document, branch));
      if (Object.keys(props).length > 0) return props;
    }
  }
  return {};
}
