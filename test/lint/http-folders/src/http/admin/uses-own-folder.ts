// Allowed: a folder imports itself.
import { DEFAULT_ADMIN_BODY_LIMIT } from './admin-routes.js';

export const adminLimit = DEFAULT_ADMIN_BODY_LIMIT;
