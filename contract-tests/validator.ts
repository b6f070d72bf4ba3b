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

/**
 * JSON Schema 2020-12 validation of bodies against the spec, independent of the server's validator.
 * int32/int64 are range checks of our own: ajv-formats' int64 accepts any JS integer.
 */
export class SpecValidator {
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(private readonly spec: SpecDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv, ['uuid', 'date-time']);
    this.ajv.addFormat('int32', {
      type: 'number',
      validate: isInt32,
    });
    this.ajv.addFormat('int64', {
      type: 'number',
      validate: isInt64,
    });
    this.ajv.addSchema(spec, 'openapi.json');
  }

  /** Validate `value` against the schema at `pointer` (e.g. `#/components/schemas/ApiError`). */
  validate(pointer: string, value: unknown): SchemaError[] {
    let fn = this.cache.get(pointer);
    if (!fn) {
      fn = this.ajv.compile({ $ref: `openapi.json${pointer}` });
      this.cache.set(pointer, fn);
    }
    if (fn(value)) return [];
    return (fn.errors ?? []).map(toSchemaError);
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

function toSchemaError(error: ErrorObject): SchemaError {
  const extra = error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
  return { pointer: error.instancePath || '/', message: `${error.message ?? error.keyword}${extra}` };
}
