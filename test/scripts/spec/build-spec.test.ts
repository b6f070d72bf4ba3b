import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertValidOpenApi, buildSpec } from '../../../scripts/spec/build-spec.js';
import type { JsonObject, OpenApiDocument } from '../../../scripts/spec/merge-fragments.js';
import { staleFiles } from '../../../scripts/generated-files.js';
import { fixtureFiles } from '../../../scripts/fixture-files.js';
import { specFiles } from '../../../scripts/spec-files.js';
import { SPEC_SOURCES } from '../../../scripts/paths.js';

const temps: string[] = [];
afterEach(async () => Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true }))));

async function copyOfSources() {
  const dir = await mkdtemp(path.join(tmpdir(), 'spec-'));
  temps.push(dir);
  await cp(SPEC_SOURCES.fragmentsDir, path.join(dir, 'fragments'), { recursive: true });
  await cp(SPEC_SOURCES.overlayFile, path.join(dir, 'overlay.json'));
  return { fragmentsDir: path.join(dir, 'fragments'), overlayFile: path.join(dir, 'overlay.json') };
}

const operation = (doc: OpenApiDocument, p: string, method: string) => (doc.paths![p]![method] as JsonObject);

describe('the merged spec', () => {
  it('spec/openapi.json and src/spec/openapi-types.ts are what a fresh merge produces (drift)', async () => {
    expect(await staleFiles(await specFiles())).toEqual([]);
  });

  it('fixtures/ are what the default seed produces (drift)', async () => {
    expect(await staleFiles(await fixtureFiles())).toEqual([]);
  });

  it('has the 8 upstream operations, each keeping its security, and defines api_key as bearer (overlay fix)', async () => {
    const { document } = await buildSpec(SPEC_SOURCES);
    const ops = Object.entries(document.paths!).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual([
      'DELETE /v2/policy/delete', 'GET /v2/policy/list', 'GET /v2/policy/{policy_id}/job-status', 'GET /v2/policy/{policy_id}/jobs',
      'GET /v2/policy/{policy_id}/pods', 'POST /v2/policy/create', 'POST /v2/policy/sync-jobs', 'POST /v2/policy/update',
    ]);
    expect(operation(document, '/v2/policy/sync-jobs', 'post').security).toEqual([{ api_key: [] }]);
    expect(operation(document, '/v2/policy/create', 'post').security).toEqual([{ Token: [] }]);
    expect(document.components!.securitySchemes).toMatchObject({
      Token: { type: 'http', scheme: 'bearer' },
      api_key: { type: 'http', scheme: 'bearer' },
    });
  });

  it('takes a new upstream fragment by adding a file, nothing else', async () => {
    const sources = await copyOfSources();
    const upstream = JSON.parse(await readFile(path.join(sources.fragmentsDir, 'policy_list.json'), 'utf8')) as OpenApiDocument;
    const item = upstream.paths!['/v2/policy/list']!;
    upstream.paths = { '/v2/policy/stats': { get: { ...(item.get as JsonObject), operationId: 'policy_stats' } } };
    await writeFile(path.join(sources.fragmentsDir, 'policy_stats.json'), JSON.stringify(upstream));
    const { document, types } = await buildSpec(sources);
    expect(operation(document, '/v2/policy/stats', 'get').operationId).toBe('policy_stats');
    expect(types).toContain('policy_stats');
  });

  it('fails naming both fragments when one redefines a shared schema', async () => {
    const sources = await copyOfSources();
    const file = path.join(sources.fragmentsDir, 'policy_update.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"resource_name":{"type":"string"}', '"resource_name":{"type":"integer"}'));
    await expect(buildSpec(sources)).rejects.toThrowError(
      'components.schemas.PolicyRequest is defined differently by policy_create.json and policy_update.json',
    );
  });

  it('validates the result with an OpenAPI 3.1 parser, which rejects a broken document', async () => {
    const { document } = await buildSpec(SPEC_SOURCES);
    await expect(assertValidOpenApi(document)).resolves.toBeUndefined();
    const broken = structuredClone(document);
    (operation(broken, '/v2/policy/list', 'get') as { responses: unknown }).responses = 'none';
    await expect(assertValidOpenApi(broken)).rejects.toThrowError('not valid OpenAPI 3.1.0');
  });
});
