import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { skipUnusedSpecValidator } from '../../src/http/eov-patches.js';

const require = createRequire(import.meta.url);
type Validator = new (options: { version: string; validateApiSpec: boolean }) => { validate(doc: unknown): { errors: unknown[] } };

describe('the express-openapi-validator start-up patch', () => {
  it('still checks a spec when validateApiSpec is on, and builds nothing when it is off', () => {
    skipUnusedSpecValidator();
    const { OpenAPISchemaValidator } = require('express-openapi-validator/dist/framework/openapi.schema.validator.js') as {
      OpenAPISchemaValidator: Validator;
    };
    expect(OpenAPISchemaValidator.name).toBe('LazySchemaValidator');
    const broken = { openapi: '3.1.0', info: {}, paths: 'not paths' };
    expect(new OpenAPISchemaValidator({ version: '3.1.0', validateApiSpec: true }).validate(broken).errors.length).toBeGreaterThan(0);
    // Off: EOV never calls validate; nothing is compiled for it (the start-up cost, see the bench).
    expect(new OpenAPISchemaValidator({ version: '3.1.0', validateApiSpec: false }).validate(broken).errors).toEqual([]);
  });
});
