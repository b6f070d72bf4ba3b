import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface SchemaValidatorModule {
  OpenAPISchemaValidator: new (options: { version: string; validateApiSpec: boolean }) => { validate(doc: unknown): { errors: unknown[] } };
}

let applied = false;

/**
 * The express-openapi-validator release this patch and `eov-compiled.ts` (which builds EOV's
 * validators with its internal classes) were written against. package.json pins it exactly: a
 * minor release may move the internals both rely on. A test compares it with what is installed.
 */
export const EOV_VERSION = '5.6.2';

/**
 * express-openapi-validator 5.6 compiles the OpenAPI meta-schema at start (~140 ms, a quarter of
 * our start-up) even with `validateApiSpec: false`, and then never uses it. With that option off
 * it is not built; on, EOV's own class runs unchanged. Our spec is checked when it is built
 * (spec:build). Fails the start, not silently, if EOV's internals moved.
 */
export function skipUnusedSpecValidator(): void {
  if (applied) return;
  const module = require('express-openapi-validator/dist/framework/openapi.schema.validator.js') as Partial<SchemaValidatorModule>;
  const Original: SchemaValidatorModule['OpenAPISchemaValidator'] | undefined = module.OpenAPISchemaValidator;
  if (Original === undefined || typeof Original !== 'function') {
    throw new Error(
      'express-openapi-validator has no OpenAPISchemaValidator where src/http/eov-patches.ts expects it: its internals changed',
    );
  }
  const Eov = Original;
  module.OpenAPISchemaValidator = class LazySchemaValidator {
    readonly #validate: ((doc: unknown) => { errors: unknown[] }) | undefined;
    constructor(options: { version: string; validateApiSpec: boolean }) {
      if (options.validateApiSpec) {
        const validator = new Eov(options);
        this.#validate = (doc) => validator.validate(doc);
      }
    }
    validate(doc: unknown): { errors: unknown[] } {
      return this.#validate ? this.#validate(doc) : { errors: [] };
    }
  };
  applied = true;
}
