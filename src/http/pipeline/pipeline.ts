import type { RequestHandler } from 'express';

/**
 * Runs `steps` in order as one Express handler. Express walks its router once per `app.use`
 * layer (matching and bookkeeping each time), which cost a spec operation more than most of its
 * steps; here a step's `next` calls the following step directly. An error, thrown or passed to
 * `next`, goes to Express's error handlers, as from any handler.
 */
export function pipeline(steps: readonly RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let at = 0;
    const next = (error?: unknown): void => {
      if (error !== undefined && error !== null) return done(error);
      const step = steps[at++];
      if (!step) return done();
      try {
        const result: unknown = step(req, res, next);
        // An async step's rejection is a failure like a thrown one (as Express 5 treats it).
        if (result instanceof Promise) result.catch(done);
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
