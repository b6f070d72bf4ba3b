import { Router } from 'express';

/** `/__admin`: the mock's own routes, outside the spec. */
export function adminRoutes(): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return router;
}
