import type { RequestHandler } from 'express';
import type { AdminQuery } from './admin-query.js';

export type AdminMethod = 'get' | 'post' | 'put' | 'delete';
/** One row of the /__admin route table; the query parameters it takes (none when left out). */
export type RouteRow = [AdminMethod, string, RequestHandler, AdminQuery?];
