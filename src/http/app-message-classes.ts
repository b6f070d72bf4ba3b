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
  // Old-style constructors, as Node's own are: `prototype` is assignable, so instances get the app's.
  function AppRequest(this: IncomingMessage, ...args: ConstructorParameters<typeof IncomingMessage>): void {
    IncomingMessage.apply(this, args);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, ...args: ConstructorParameters<typeof ServerResponse>): void {
    ServerResponse.apply(this, args);
  }
  AppResponse.prototype = app.response;
  return {
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
  };
}
