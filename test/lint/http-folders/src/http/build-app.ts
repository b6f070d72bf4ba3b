// Allowed: the table of contents mounts admin/ and docs/.
import { DEFAULT_ADMIN_BODY_LIMIT } from './admin/admin-routes.js';
import { DOCS_PATH } from './docs/docs-routes.js';

export const HTTP_STEPS = 8;
export const mounted = [DEFAULT_ADMIN_BODY_LIMIT, DOCS_PATH];
