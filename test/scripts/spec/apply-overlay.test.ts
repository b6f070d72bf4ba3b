import { describe, expect, it } from 'vitest';
import { applyOverlay, type Overlay } from '../../../scripts/spec/apply-overlay.js';

const overlay = (actions: Overlay['actions']): Overlay => ({ overlay: '1.0.0', info: { title: 't', version: '1' }, actions });

describe('applyOverlay (OpenAPI Overlay 1.0)', () => {
  const document = { components: { securitySchemes: { Token: { type: 'http' } } }, tags: [{ name: 'a' }], paths: { '/x': { get: {}, post: {} } } };

  it('merges an update into the targeted object without touching the input', () => {
    const result = applyOverlay(document, overlay([{ target: '$.components.securitySchemes', update: { api_key: { type: 'http', scheme: 'bearer' } } }]));
    expect(result.components.securitySchemes).toEqual({ Token: { type: 'http' }, api_key: { type: 'http', scheme: 'bearer' } });
    expect(document.components.securitySchemes).toEqual({ Token: { type: 'http' } });
  });

  it('appends an update to a targeted array and removes targeted nodes', () => {
    const result = applyOverlay(document, overlay([
      { target: '$.tags', update: { name: 'b' } },
      { target: "$.paths['/x'].post", remove: true },
    ]));
    expect(result.tags).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(result.paths['/x']).toEqual({ get: {} });
  });

  it('fails when a target matches nothing, so an obsolete fix is noticed', () => {
    expect(() => applyOverlay(document, overlay([{ target: '$.components.nothing', update: {} }]))).toThrowError('matches nothing');
  });

  it('refuses an overlay of another major version', () => {
    expect(() => applyOverlay(document, { ...overlay([]), overlay: '2.0.0' })).toThrowError('unsupported overlay version');
  });
});
