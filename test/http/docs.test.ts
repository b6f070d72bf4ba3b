import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, mockLocals } from '../../src/app.js';
import { docsRoutes } from '../../src/http/docs/docs-routes.js';
import { loadSpec, SPEC_FILE } from '../../src/spec/load-spec.js';
import { memoryStore } from '../../src/store/open-store.js';
import { seedData } from '../../src/world/seed.js';
import type { OpenApiDocument } from '../../src/spec/openapi-document.js';
import { AUTH } from '../helpers/mock-app.js';

// The docs routes alone, on a bare app: anything they do not answer is Express's plain 404.
const store = memoryStore(seedData());
const app = express().use(docsRoutes(loadSpec(), () => store));

/** Every URL a tag of the page makes the browser fetch: script src, link href, img src. */
function fetchedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*(["'])(.*?)\1/gi)].map((m) => m[2]!);
}

/** A URL that leaves this server: with a scheme (http:, data: is fine) or protocol-relative. */
const isExternal = (url: string) => (/^[a-z][a-z0-9+.-]*:/i.test(url) ? !url.startsWith('data:') : url.startsWith('//'));

type Op = {
  operationId: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; example?: string }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
};
const operationsOf = (doc: OpenApiDocument) =>
  Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Op>).map(([method, op]) => ({ path, method, op })),
  );

describe('GET /openapi.json', () => {
  it('is the spec file, as JSON, but for its security (one scheme) and its examples', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    const committed = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as OpenApiDocument;
    const served = res.body as OpenApiDocument;
    expect(Object.keys(served.paths!)).toEqual(Object.keys(committed.paths!));
    expect(served.components!.schemas).toEqual(committed.components!.schemas);
    expect(served.info).toEqual(committed.info);
  });

  it('authorizes every operation with one scheme, so the Authorize dialog asks for one token', async () => {
    const served = (await request(app).get('/openapi.json')).body as OpenApiDocument;
    expect(Object.keys(served.components!.securitySchemes!)).toEqual(['Token']);
    const ops = operationsOf(served);
    expect(ops).toHaveLength(8);
    for (const { op } of ops) expect(op.security, op.operationId).toEqual([{ Token: [] }]);
  });

  it('carries examples of live ids: every operation, tried out as the page fills it in, succeeds', async () => {
    const mock = await createApp();
    const served = (await request(mock).get('/openapi.json')).body as OpenApiDocument;
    const answered: Record<string, number> = {};
    // In the page's order (the spec's), as a user clicking down the page would.
    for (const { path, method, op } of operationsOf(served)) {
      let url = path;
      // The page fills in the path's parameters; the optional headers (Prefer, X-Mock-Session) stay empty.
      for (const p of (op.parameters ?? []).filter((param) => param.in === 'path')) {
        expect(p.example, `${op.operationId} ${p.name}`).toBeDefined();
        url = url.replace(`{${p.name}}`, encodeURIComponent(p.example!));
      }
      let req = request(mock)[method as 'get' | 'post' | 'delete'](url).set(AUTH);
      if (op.requestBody) {
        const example = op.requestBody.content['application/json']?.example;
        expect(example, op.operationId).toBeDefined();
        req = req.send(example as object);
      }
      const res = await req;
      answered[op.operationId] = res.status;
    }
    expect(answered).toEqual({
      policy_create: 200,
      policy_delete: 200,
      policy_list: 200,
      sync_job_policies: 200,
      policy_update: 200,
      get_job_policy_status: 200,
      policy_jobs: 200,
      policy_pods: 200,
    });
  });
});

describe("the mock's own headers in /docs 'Try it out'", () => {
  const mockHeaders = (doc: OpenApiDocument) =>
    operationsOf(doc).map(({ op }) => ({
      operationId: op.operationId,
      headers: (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => [p.name, (p as { required?: boolean }).required]),
    }));

  it('the served spec gives every operation optional Prefer and X-Mock-Session inputs, and still validates', async () => {
    const served = (await request(app).get('/openapi.json')).body as OpenApiDocument;
    for (const { operationId, headers } of mockHeaders(served))
      expect(headers, operationId).toEqual([
        ['Prefer', false],
        ['X-Mock-Session', false],
      ]);
    const result = await validate(structuredClone(served) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    // The committed spec (what clients are generated from) is untouched.
    const committed = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as OpenApiDocument;
    for (const { headers } of mockHeaders(committed)) expect(headers).toEqual([]);
  });

  it('what the inputs send reaches the mock: a Prefer code, a session of its own', async () => {
    const mock = await createApp();
    const prefer = await request(mock).get('/v2/policy/list').set(AUTH).set('Prefer', 'code=500');
    expect(prefer.status).toBe(500);
    await request(mock)
      .post('/__admin/reset')
      .set('X-Mock-Session', 'docs-try')
      .send({ sizes: { policies: 0 } })
      .expect(200);
    const session = await request(mock).get('/v2/policy/list').set(AUTH).set('X-Mock-Session', 'docs-try');
    expect(session.status).toBe(200);
    expect(session.body).toHaveLength(0);
    expect(mockLocals(mock).sessions.names()).toContain('docs-try');
  });
});

describe('/docs', () => {
  it('redirects /docs to /docs/, where the relative asset URLs resolve', async () => {
    const res = await request(app).get('/docs');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/docs/');
  });

  it('/docs/ is the Swagger UI page, titled after the spec', async () => {
    const res = await request(app).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('<div id="swagger-ui"></div>');
    expect(res.text).toContain(`<title>${String(loadSpec().info.title)} mock</title>`);
  });

  it('the page fetches only local assets, and each of them answers 200', async () => {
    const html = (await request(app).get('/docs/')).text;
    const urls = fetchedUrls(html);
    expect(urls).toEqual(expect.arrayContaining(['./swagger-ui.css', './swagger-ui-bundle.js', './swagger-ui-init.js']));
    expect(urls.filter(isExternal)).toEqual([]);
    // The only absolute URLs left in the page are XML namespace names of its inline SVG.
    const absolute = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
    expect(absolute.filter((u) => !u.startsWith('http://www.w3.org/'))).toEqual([]);

    for (const url of urls) {
      const path = new URL(url, 'http://mock/docs/').pathname;
      const res = await request(app).get(path);
      expect(res.status, path).toBe(200);
      expect(Number(res.headers['content-length']), path).toBeGreaterThan(0);
    }
  });

  it('the init script points Swagger UI at /openapi.json, with the online validator off', async () => {
    const res = await request(app).get('/docs/swagger-ui-init.js');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/javascript');
    expect(res.text).toContain('"url": "/openapi.json"');
    expect(res.text).toContain('"validatorUrl": null');
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it('answers nothing else under /docs', async () => {
    expect((await request(app).get('/docs/no-such-file.js')).status).toBe(404);
    expect((await request(app).get('/docs/package.json')).status).toBe(404);
    expect((await request(app).post('/docs/')).status).toBe(404);
  });
});

describe('docs through createApp', () => {
  it('serves /openapi.json and /docs/ without auth, with CORS, and keeps them out of the journal', async () => {
    const app = await createApp();
    const spec = await request(app).get('/openapi.json').set('Origin', 'http://localhost:5173');
    expect(spec.status).toBe(200);
    expect(spec.headers['access-control-allow-origin']).toBe('*');
    expect((await request(app).get('/docs/')).status).toBe(200);
    expect(mockLocals(app).journal.entries()).toEqual([]);
  });
});
