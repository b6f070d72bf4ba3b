import { pino } from 'pino';
import type { JournalEntry } from '../control/journal.js';

/** Where the mock's lines go. The CLI prints them; tests keep them or drop them. */
export interface Logger {
  /** One per request. */
  request(entry: JournalEntry): void;
  /** Something that is our fault (a response the spec forbids, an unexpected exception). */
  error(message: string): void;
}

export type LogFormat = 'line' | 'json';

/** `POST /v2/policy/create 400 3.1ms - resource must be one of pods, namespace, jobs` */
export function formatRequestLine(entry: JournalEntry): string {
  const session = entry.session ? ` [${entry.session}]` : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.durationMs.toFixed(1)}ms${session}${entry.problem ? ` - ${entry.problem}` : ''}`;
}

export const silentLogger: Logger = { request() {}, error() {} };

/** Concise lines for people (default), or JSON lines for machines (pino); `quiet` keeps only our errors. */
export function createLogger(format: LogFormat, quiet = false): Logger {
  if (format === 'json') {
    const log = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime });
    return {
      request: quiet ? () => {} : (entry) => log.info({ ...entry, time: undefined }, 'request'),
      error: (message) => log.error(message),
    };
  }
  return {
    request: quiet ? () => {} : (entry) => console.log(formatRequestLine(entry)),
    error: (message) => console.error(message),
  };
}
