import { createRequire } from 'node:module';
import type { pino as Pino } from 'pino';
import type { JournalEntry } from './journal.js';
import { printable } from './printable.js';

/** Where the mock's lines go. The CLI prints them; tests keep them or drop them. */
export interface Logger {
  /** One per request. */
  request(entry: JournalEntry): void;
  /** false: request lines are dropped (quiet), so none is made. */
  readonly requests?: boolean;
  /** Something that is our fault (a response the spec forbids, an unexpected exception). */
  error(message: string): void;
  /** The process's own news (the banner, shutting down), never quieted; `fields` only in JSON. */
  notice(message: string, fields?: Record<string, unknown>): void;
}

export type LogFormat = 'line' | 'json';

/** `POST /v2/policy/create 400 3.1ms - resource must be one of pods, namespace, jobs` */
export function formatRequestLine(entry: JournalEntry): string {
  // Every field a client chose is escaped: one request is one line, and never a terminal command.
  const session = entry.session ? ` [${printable(entry.session)}]` : '';
  const problem = entry.problem ? ` - ${printable(entry.problem)}` : '';
  return `${printable(entry.method)} ${printable(entry.path)} ${entry.status} ${entry.durationMs.toFixed(1)}ms${session}${problem}`;
}

export const silentLogger: Logger = { request() {}, requests: false, error() {}, notice() {} };

export interface LoggerStreams {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

/** Concise lines for people (default), or JSON lines for machines (pino); `quiet` keeps only our errors. */
export function createLogger(
  format: LogFormat,
  quiet = false,
  streams: LoggerStreams = { out: process.stdout, err: process.stderr },
): Logger {
  if (format === 'json') {
    // Loaded only for JSON logs: ~30 ms of every start otherwise.
    const { pino } = createRequire(import.meta.url)('pino') as { pino: typeof Pino };
    const log = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime }, streams.out);
    return {
      // The entry's own `time` is when the request started; pino stamps when it ended.
      request: quiet ? () => {} : ({ time: startedAt, ...entry }) => log.info({ ...entry, startedAt }, 'request'),
      requests: !quiet,
      error: (message) => log.error(message),
      notice: (message, fields = {}) => log.info(fields, message.trim()),
    };
  }
  return {
    request: quiet ? () => {} : (entry) => streams.out.write(`${formatRequestLine(entry)}\n`),
    requests: !quiet,
    error: (message) => streams.err.write(`${message}\n`),
    notice: (message) => streams.out.write(`${message}\n`),
  };
}
