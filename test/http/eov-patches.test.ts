import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EOV_VERSION, skipUnusedSpecValidator } from '../../src/http/pipeline/eov-patches.js';

const require = createRequire(import.meta.url);
type Validator = new (options: { version: string; validateApiSpec: boolean }) => { validate(doc: unknown): { errors: unknown[] } };

describe('the express-openapi-validator start-up patch', () => {
  it('is installed at the exact version the patch and the validator wiring were written for', () => {
    const installed = (require('express-openapi-validator/package.json') as { version: string }).version;
    const declared = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> }
    ).dependencies['express-openapi-validator'];
    const why = `src/http/pipeline/eov-patches.ts and eov-compiled.ts were written for express-openapi-validator ${EOV_VERSION}; re-check both against the new release, then update EOV_VERSION and the pin`;
    expect(declared, `package.json must pin it exactly: ${why}`).toBe(EOV_VERSION);
    expect(installed, `installed ${installed}: ${why}`).toBe(EOV_VERSION);
  });

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
