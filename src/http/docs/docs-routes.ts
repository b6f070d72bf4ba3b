import { Router, type RequestHandler } from 'express';
import type swaggerUi from 'swagger-ui-express';
import type { OpenApiDocument } from '../../spec/openapi-document.js';
import type { Store } from '../../store/store.js';
import { ApiError } from '../errors/api-error.js';
import { pipeline } from '../pipeline/pipeline.js';
import { servedSpec } from './served-spec.js';
import { tryItOutExamples } from './try-it-out-examples.js';

/**
 * `GET /openapi.json` (the merged spec) and `/docs` (Swagger UI of it), outside the spec and its
 * auth. Mount it before the spec's route guard, which answers 404 for every path it does not know.
 *
 * - Offline: every asset comes from swagger-ui-dist in node_modules, and the page's own script and
 *   link tags are relative (`./swagger-ui-bundle.js`), so the page needs no internet.
 *   `validatorUrl: null` turns off the one request Swagger UI would make elsewhere: its validator
 *   badge, an image from validator.swagger.io, shown when the page is not on localhost/127.0.0.1
 *   (e.g. `--host 0.0.0.0` opened as http://devbox:4010/docs).
 * - "Try it out" reaches this mock: the page loads the spec from `/openapi.json`, and the spec has
 *   no `servers`, so Swagger UI sends the calls to the origin the spec came from.
 * - Bearer auth: the served spec has one bearer scheme for every operation (servedSpec), so the
 *   Authorize dialog asks for the token once and every call sends `Authorization: Bearer <token>`.
 * - "Try it out" succeeds as it comes: the served spec's examples name ids of the default store
 *   as it is when the page loads.
 */
export function docsRoutes(document: OpenApiDocument, store: () => Store): Router {
  const router = Router();
  // Serialised once per version of the default store, whose ids the examples name.
  let served: { version: number; json: string } | undefined;
  router.get('/openapi.json', (_req, res) => {
    const { version, data } = store();
    if (served?.version !== version) served = { version, json: JSON.stringify(servedSpec(document, tryItOutExamples(data))) };
    res.type('application/json').send(served.json);
  });

  const options: swaggerUi.SwaggerUiOptions = {
    customSiteTitle: `${typeof document.info.title === 'string' ? document.info.title : 'API'} mock`,
    // Swagger's top bar only holds its logo and a spec URL box (hidden anyway): drop it.
    customCss: '.swagger-ui .topbar { display: none }',
    swaggerOptions: {
      url: '/openapi.json',
      validatorUrl: null,
      // A reload keeps the token (in localStorage): it is a dev tool, the token is a dev token.
      persistAuthorization: true,
      displayRequestDuration: true,
    },
  };
  // serveFiles, not `serve`: it answers swagger-ui-init.js with these options. `serve` answers it
  // with module-level state that the last setup() in the process wins (two apps in one test run).
  // Its static part also redirects `/docs` to `/docs/`, which the relative asset URLs need.
  // swagger-ui-express answers any `.../package.json` with a bare text 404 itself: ours is an ApiError.
  router.use('/docs', (req, _res, next) =>
    next(req.path.endsWith('/package.json') ? new ApiError(404, `no docs asset at ${req.originalUrl}`) : undefined),
  );
  // Loaded on the first docs request: swagger-ui-express costs ~100 ms of every start otherwise.
  let ui: Promise<{ files: RequestHandler; page: RequestHandler }> | undefined;
  const load = () =>
    (ui ??= import('swagger-ui-express').then(({ default: swagger }) => ({
      files: pipeline(swagger.serveFiles(undefined, options)),
      page: swagger.setup(undefined, options),
    })));
  router.use('/docs', (req, res, next) => void load().then(({ files }) => files(req, res, next), next));
  // Only the page itself: setup() would otherwise answer any method and any path under /docs.
  router.get('/docs/', (req, res, next) => void load().then(({ page }) => page(req, res, next), next));
  return router;
}
