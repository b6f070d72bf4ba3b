import type { Response } from 'express';
import { ControlError } from '../errors/api-error.js';
import type { Control, Exchange } from '../pipeline/outcome.js';
import { clip } from '../../domain/refusal.js';
import { parsePrefer } from './prefer.js';

export interface DelayRange {
  min: number;
  max: number;
}

/**
 * Longest delay, however it is set (`--delay`, `PUT /__admin/controls`, `Prefer: delay`): a typo
 * of a few zeros should not hang a test suite, and past 2^31 − 1 ms Node's timers fire at once.
 */
export const MAX_DELAY_MS = 60_000;

/** Latency for spec operations: `--delay MS|MIN-MAX` (uniform, read per request: it can change at run time), or `Prefer: delay=MS` per request. */
export function delay(range: (exchange: Exchange) => DelayRange | undefined, random: () => number = Math.random): Control {
  return (next) => async (exchange) => {
    const prefer = parsePrefer(exchange.req.get('prefer'));
    if (prefer.invalid.length > 0) {
      throw new ControlError(400, `Prefer ${prefer.invalid.join(', ')}: values must be whole numbers`, [
        { path: '/headers/prefer', message: 'is not a number' },
      ]);
    }
    if (prefer.delay !== undefined && prefer.delay > MAX_DELAY_MS) {
      throw new ControlError(400, `Prefer delay=${prefer.delay} is over the limit of ${MAX_DELAY_MS} ms`, [
        { path: '/headers/prefer', message: 'delay is too long' },
      ]);
    }
    const now = range(exchange);
    const ms = prefer.delay ?? (now ? now.min + random() * (now.max - now.min) : 0);
    // A client that hangs up while it waits asked for nothing any more: its write is not made
    // (it could never learn of it), and the request log records it as closed by the client.
    if (ms > 0 && !(await waited(exchange.res, ms))) {
      exchange.res.locals.problem = 'the client closed the connection during the delay; nothing was done';
      return undefined;
    }
    return next(exchange);
  };
}

/** Resolves after `ms`: true, or false as soon as the client closed the connection. */
function waited(res: Response, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const hungUp = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', hungUp);
      resolve(true);
    }, ms);
    res.once('close', hungUp);
  });
}

/** `250` or `100-500` (milliseconds). */
export function parseDelay(text: string): DelayRange {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`delay must be MS or MIN-MAX in milliseconds, got "${clip(text, 40)}"`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max > MAX_DELAY_MS) throw new Error(`delay must be at most ${MAX_DELAY_MS} ms, got "${clip(text, 40)}"`);
  if (max < min) throw new Error(`delay range ${text} has its maximum below its minimum`);
  return { min, max };
}
