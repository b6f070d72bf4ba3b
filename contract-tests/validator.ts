import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { SpecDocument } from './spec.js';
import { isInt32, isInt64 } from './integer-ranges.js';

// ajv-formats is CommonJS; under nodenext its default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface SchemaError {
  /** JSON pointer into the body. */
  pointer: string;
  message: string;
}

/** Schema errors one validation reports at most. */
export const MAX_SCHEMA_ERRORS = 50;
/**
 * Values (objects, arrays, scalars) a body may hold to have every error listed. A larger body
 * reports its first error only: with every error, a list of 150 000 bad entries builds 900 000
 * errors (180 MB, 1.5 s) before any is shown.
 */
const EVERY_ERROR_UP_TO = 2_000;

/**
 * JSON Schema 2020-12 validation of bodies against the spec, independent of the server's validator.
 * int32/int64 are range checks of our own: ajv-formats' int64 accepts any JS integer. What a
 * validation costs is bounded by EVERY_ERROR_UP_TO, not by how many problems a target packs in.
 */
export class SpecValidator {
  private readonly first = createAjv(false);
  private readonly every = createAjv(true);
  private readonly cache = new Map<string, { first: ValidateFunction; every: ValidateFunction }>();

  constructor(private readonly spec: SpecDocument) {
    for (const ajv of [this.first, this.every]) ajv.addSchema(spec, 'openapi.json');
  }

  /** Validate `value` against the schema at `pointer` (e.g. `#/components/schemas/ApiError`). */
  validate(pointer: string, value: unknown): SchemaError[] {
    let fns = this.cache.get(pointer);
    if (!fns) {
      const schema = { $ref: `openapi.json${pointer}` };
      fns = { first: this.first.compile(schema), every: this.every.compile(schema) };
      this.cache.set(pointer, fns);
    }
    if (fns.first(value)) return [];
    const errors = holdsAtMost(value, EVERY_ERROR_UP_TO) && !fns.every(value) ? fns.every.errors : fns.first.errors;
    return (errors ?? []).slice(0, MAX_SCHEMA_ERRORS).map(toSchemaError);
  }

  validateComponent(name: string, value: unknown): SchemaError[] {
    return this.validate(`#/components/schemas/${name}`, value);
  }

  /** A short name for the schema at `pointer`, for messages: `ApiError`, `PolicyResponse[]`, `string`. */
  describe(pointer: string): string {
    let node: unknown = this.spec;
    for (const token of pointer.replace(/^#\//, '').split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    const schema = (node ?? {}) as { $ref?: string; type?: string; items?: { $ref?: string } };
    const name = (ref: string | undefined) => ref?.split('/').pop();
    if (schema.$ref) return name(schema.$ref) ?? pointer;
    if (schema.type === 'array' && schema.items?.$ref) return `${name(schema.items.$ref) ?? 'item'}[]`;
    return schema.type ?? pointer;
  }
}

function createAjv(allErrors: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors, validateFormats: true });
  addFormats(ajv, ['uuid', 'date-time']);
  ajv.addFormat('int32', { type: 'number', validate: isInt32 });
  ajv.addFormat('int64', { type: 'number', validate: isInt64 });
  return ajv;
}

/** Whether `value` holds at most `limit` values, counted without walking past the limit. */
function holdsAtMost(value: unknown, limit: number): boolean {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length > 0) {
    if (++seen > limit) return false;
    const next = stack.pop();
    if (typeof next !== 'object' || next === null) continue;
    const children: unknown[] = Object.values(next);
    if (seen + stack.length + children.length > limit) return false;
    stack.push(...children);
  }
  return true;
}

function toSchemaError(error: ErrorObject): SchemaError {
  const extra = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  return { pointer: error.instancePath || '/', message: `${error.message ?? error.keyword}${extra}` };
}
