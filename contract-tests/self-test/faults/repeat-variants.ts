import { apiError, jsonObject, type Divergence } from './fault-proxy.js';

/** A target that refuses a resource id named twice (the README leaves it open): allowed. */
export const REPEAT_VARIANTS = {
  refuses_repeated_resource_ids: {
    request: (req) => {
      const body = ['/v2/policy/create', '/v2/policy/update'].includes(req.path) ? jsonObject(req.body) : undefined;
      const ids = Array.isArray(body?.resource_ids) ? (body.resource_ids as unknown[]) : [];
      return new Set(ids).size < ids.length ? apiError(400, 'resource_ids names an id twice') : req;
    },
  },
} satisfies Record<string, Divergence>;
