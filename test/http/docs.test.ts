import { readFileSync } from 'node:fs';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp, mockLocals } from '../../src/app.js';
import { docsRoutes } from '../../src/http/docs-routes.js';
import { loadSpec, SPEC_FILE } from '../../src/spec/load-spec.js';

// The docs routes alone, on a bare app: anything they do not answer is Express's plain 404.
const app = express().use(docsRoutes(loadSpec()));

/** Every URL a tag of the page makes the browser fetch: script src, link href, img src. */
function fetchedUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link|img)\b[^>]*?\b(?:src|href)\s*=\s*(["'])(.*?)\1/gi)].map((m) => m[2]!);
}

/** A URL that leaves this server: with a scheme (http:, data: is fine) or protocol-relative. */
const isExternal = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url) ? !url.startsWith('data:') : url.startsWith('//');

describe('GET /openapi.json', () => {
  it('is the spec file, as JSON', async () => {
    const res = await request(app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json');
    expect(res.body).toEqual(JSON.parse(readFileSync(SPEC_FILE, 'utf8')));
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
