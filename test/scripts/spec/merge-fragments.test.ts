import { describe, expect, it } from 'vitest';
import { mergeFragments, SpecMergeError, type Fragment, type OpenApiDocument } from '../../../scripts/spec/merge-fragments.js';

const apiError = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } };

function fragment(name: string, path: string, method: string, extra: Partial<OpenApiDocument> = {}): Fragment {
  return {
    name,
    document: {
      openapi: '3.1.0',
      info: { title: 'Cedana API', version: '1' },
      security: [{ Token: [] }],
      components: { securitySchemes: { Token: { type: 'http', scheme: 'bearer' } }, schemas: { ApiError: apiError } },
      paths: { [path]: { [method]: { operationId: name, responses: { 200: { description: 'ok' } } } } },
      ...extra,
    },
  };
}

describe('mergeFragments', () => {
  it('unions the paths of every fragment', () => {
    const merged = mergeFragments([fragment('a', '/a', 'get'), fragment('b', '/b', 'post'), fragment('c', '/a', 'post')]);
    expect(Object.keys(merged.paths!)).toEqual(['/a', '/b']);
    expect(Object.keys(merged.paths!['/a']!)).toEqual(['get', 'post']);
  });

  it("moves each fragment's top-level security onto its own operations", () => {
    const merged = mergeFragments([fragment('a', '/a', 'get'), fragment('b', '/b', 'get', { security: [{ api_key: [] }] })]);
    expect(merged.security).toBeUndefined();
    expect((merged.paths!['/a']!.get as { security: unknown }).security).toEqual([{ Token: [] }]);
    expect((merged.paths!['/b']!.get as { security: unknown }).security).toEqual([{ api_key: [] }]);
  });

  it('keeps an identical component once', () => {
    const merged = mergeFragments([fragment('a', '/a', 'get'), fragment('b', '/b', 'get')]);
    expect(merged.components!.schemas).toEqual({ ApiError: apiError });
  });

  it('refuses a schema that two fragments define differently, naming both', () => {
    const other = fragment('b.json', '/b', 'get', {
      components: { schemas: { ApiError: { ...apiError, required: [] } } },
    });
    expect(() => mergeFragments([fragment('a.json', '/a', 'get'), other])).toThrowError(
      new SpecMergeError('components.schemas.ApiError is defined differently by a.json and b.json'),
    );
  });

  it('refuses the same path and method in two fragments, naming both', () => {
    expect(() => mergeFragments([fragment('a.json', '/a', 'get'), fragment('b.json', '/a', 'get')])).toThrowError(
      'GET /a is defined by both a.json and b.json',
    );
  });

  it('refuses an empty list of fragments', () => {
    expect(() => mergeFragments([])).toThrowError(SpecMergeError);
  });
});
