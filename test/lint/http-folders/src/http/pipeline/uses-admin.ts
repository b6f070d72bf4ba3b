// A deliberate violation for test/lint/layers.process.test.ts: a pipeline step may not build on the admin routes.
import { DEFAULT_ADMIN_BODY_LIMIT } from '../admin/admin-routes.js';

export const limit = DEFAULT_ADMIN_BODY_LIMIT;
