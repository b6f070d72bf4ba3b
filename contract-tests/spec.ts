import { readFileSync } from 'node:fs';
import { packageFile } from './package-file.js';

/** The one contract: the merged document, read as data (never through src/). */
export const SPEC_PATH = packageFile('spec/openapi.json');

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

export interface DeclaredResponse {
  status: number;
  /** Declared media types; empty when the response declares no content (any body is accepted). */
  mediaTypes: string[];
  /** JSON pointer (inside the spec) of the schema of each media type. */
  schemaPointers: Record<string, string>;
}

export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** Path template, e.g. `/v2/policy/{policy_id}/pods`. */
  path: string;
  responses: DeclaredResponse[];
  /** Names of its path parameters, e.g. `['policy_id']`. */
  pathParameters: string[];
  /** The JSON request body's schema, when it declares one. */
  requestSchema?: SchemaObject | undefined;
}

/** The parts of a JSON Schema the suite reads. */
export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, SchemaObject>;
  oneOf?: SchemaObject[];
}

export interface SpecDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown> };
}

interface OperationObject {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export function loadSpec(path: string = SPEC_PATH): SpecDocument {
  return JSON.parse(readFileSync(path, 'utf8')) as SpecDocument;
}

const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every operation of the spec, with its declared statuses and media types. */
export function listOperations(spec: SpecDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const responses: DeclaredResponse[] = Object.entries(op.responses).map(([status, response]) => {
        const content = response.content ?? {};
        const mediaTypes = Object.keys(content);
        const schemaPointers: Record<string, string> = {};
        for (const mediaType of mediaTypes) {
          schemaPointers[mediaType] =
            `#/paths/${escapePointer(path)}/${method}/responses/${status}/content/${escapePointer(mediaType)}/schema`;
        }
        return { status: Number(status), mediaTypes, schemaPointers };
      });
      const pathParameters = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const body = op.requestBody?.content?.['application/json']?.schema;
      const requestSchema = body && resolveSchema(spec, body);
      operations.push({
        operationId: op.operationId,
        method: method.toUpperCase() as HttpMethod,
        path,
        responses,
        pathParameters,
        requestSchema,
      });
    }
  }
  return operations;
}

export function declaredStatuses(operation: Operation): number[] {
  return operation.responses.map((r) => r.status);
}

/** The schema itself, through a local `$ref` (`#/components/schemas/X`). */
export function resolveSchema(spec: SpecDocument, schema: SchemaObject): SchemaObject {
  const name = schema.$ref?.replace('#/components/schemas/', '');
  return name === undefined ? schema : resolveSchema(spec, spec.components.schemas[name] ?? {});
}

/** The enum values a property allows, through `$ref` and a nullable `oneOf` (null left out). */
export function enumValues(spec: SpecDocument, schema: SchemaObject | undefined): unknown[] {
  if (!schema) return [];
  const resolved = resolveSchema(spec, schema);
  return [...(resolved.enum ?? []), ...(resolved.oneOf ?? []).flatMap((s) => enumValues(spec, s))];
}
