import type { RequestHandler } from 'express';

export type AdminMethod = 'get' | 'post' | 'put' | 'delete';
/** One row of the /__admin route table. */
export type AdminRoute = [AdminMethod, string, RequestHandler];
