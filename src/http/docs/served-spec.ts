import type { JsonObject, OpenApiDocument } from '../../spec/openapi-document.js';
import type { TryItOutExamples } from './try-it-out-examples.js';

/**
 * The spec as `/openapi.json` serves it to Swagger UI: one security scheme for every operation
 * (the spec's schemes are all the same bearer token; two would make the Authorize dialog ask
 * twice, and one filled in leaves the others' operations at 401), and "Try it out" examples made
 * from the live store, and the mock's own request headers (`Prefer`, `X-Mock-Session`) as optional
 * inputs of every operation, so "Try it out" can send them. The committed spec and the
 * validator's copy are untouched.
 */
export function servedSpec(document: OpenApiDocument, examples: TryItOutExamples): OpenApiDocument {
  const served = structuredClone(document);
  const schemes = served.components?.securitySchemes ?? {};
  const [name] = Object.keys(schemes);
  if (name !== undefined && served.components) served.components.securitySchemes = { [name]: schemes[name] };
  for (const item of Object.values(served.paths ?? {})) {
    for (const op of Object.values(item) as JsonObject[]) {
      if (typeof op !== 'object' || op === null || typeof op.operationId !== 'string') continue;
      if (name !== undefined && Array.isArray(op.security) && op.security.length > 0) op.security = [{ [name]: [] }];
      // No example: Swagger UI would fill it in, and "Try it out" as it comes must stay a real answer.
      op.parameters = [...((op.parameters ?? []) as JsonObject[]), ...MOCK_HEADERS.map((header) => ({ ...header }))];
      const example = examples[op.operationId as keyof TryItOutExamples];
      if (!example) continue;
      const json = (op.requestBody as { content?: Record<string, JsonObject> } | undefined)?.content?.['application/json'];
      if (json && example.body !== undefined) json.example = example.body;
      for (const param of (op.parameters ?? []) as JsonObject[]) {
        const value = param.in === 'path' ? example.params?.[param.name as string] : undefined;
        if (value !== undefined) param.example = value;
      }
    }
  }
  return served;
}

/** The mock's headers (see docs/admin-and-sessions.md), as optional header parameters. */
const MOCK_HEADERS: readonly JsonObject[] = [
  {
    name: 'Prefer',
    in: 'header',
    required: false,
    description: "The mock's controls for this request: `code=404` (a declared status), `delay=1500` (ms), or both: `code=500, delay=200`.",
    schema: { type: 'string' },
  },
  {
    name: 'X-Mock-Session',
    in: 'header',
    required: false,
    description: 'Send this request to a session of the mock (its own store and controls), created on first use, e.g. `e2e-1`.',
    schema: { type: 'string' },
  },
];
