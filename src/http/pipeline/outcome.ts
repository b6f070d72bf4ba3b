import type { Request, Response } from 'express';
import type { Operation } from '../../spec/spec-index.js';
import type { Store } from '../../store/store.js';

/** One request to a spec operation, past auth and validation, on the store it addresses. */
export interface Exchange {
  req: Request;
  res: Response;
  op: Operation;
  store: Store;
}

/**
 * What to answer: a declared status and its body (none where the spec declares none), or bytes
 * already validated (the response cache); `problem` goes to the log and journal.
 */
export interface Outcome {
  status: number;
  body?: unknown;
  bytes?: Buffer;
  problem?: string;
  /** Set by the response cache: keep the answer's JSON once it left as a validated 200. */
  cacheAs?: (json: string) => void;
}

/** The call of an operation; `undefined` when there is nobody left to answer (the client hung up). */
export type Call = (exchange: Exchange) => Promise<Outcome | undefined>;

/** A control wraps the call: it may answer instead (Prefer, faults), wait (delay), or remember (cache). */
export type Control = (next: Call) => Call;
