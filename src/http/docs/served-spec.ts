import type { JsonObject, OpenApiDocument } from '../../spec/openapi-document.js';
import type { TryItOutExamples } from './try-it-out-examples.js';

/**
 * The spec as `/openapi.json` serves it to Swagger UI: one security scheme for every operation
 * (the spec's schemes are all the same bearer token; two would make the Authorize dialog ask
 * twice, and one filled in leaves the others' operations at 401), and "Try it out" examples made
 * from the live store. The committed spec and the validator's copy are untouched.
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
