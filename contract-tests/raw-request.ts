import type { Basis } from './basis.js';

/** A request body as sent, for requests a target must refuse or may take either way. */
export interface RawRequest {
  /** What is wrong with it, for the report. */
  label: string;
  json?: unknown;
  rawBody?: string | Uint8Array;
  contentType?: string;
  /** Statuses besides the declared 4xx that refuse it rightly (415 for a body that is not UTF-8). */
  alsoAllowed?: number[];
  /** Where the refusal is required, when not by the spec itself (a body the schema allows). */
  basis?: Basis;
}
