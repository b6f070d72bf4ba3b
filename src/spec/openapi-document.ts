/** A JSON object as the spec's documents hold them. */
export type JsonObject = Record<string, unknown>;

/** An OpenAPI 3.1 document, typed as far as the mock reads it (the rest stays `unknown`). */
export interface OpenApiDocument extends JsonObject {
  openapi: string;
  info: JsonObject;
  tags?: Array<{ name: string } & JsonObject>;
  security?: unknown[];
  paths?: Record<string, JsonObject>;
  components?: Record<string, Record<string, unknown>>;
}
