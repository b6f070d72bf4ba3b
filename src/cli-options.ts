import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import { parseDelay, type DelayRange } from './http/controls/delay.js';
import type { FailRates } from './http/controls/response-control.js';
import type { LogFormat } from './http/logging/logger.js';
import { bytesOf } from './http/pipeline/json-body.js';

// Parsers for flag values: each turns text into a value or says, in one line, what is wrong.

export const wholeNumber = (value: string): number => {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return Number(value);
};

export const positiveNumber = (value: string): number => {
  const n = wholeNumber(value);
  if (n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
};

/** Node's timers wait at most 2^31 − 1 ms; a longer one fires at once (a `--tick` of 25 days: every ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const timerMs = (value: string): number => {
  const n = positiveNumber(value);
  if (n > MAX_TIMER_MS) throw new InvalidArgumentError(`must be at most ${MAX_TIMER_MS} ms (about 24.8 days)`);
  return n;
};

export const portNumber = (value: string): number => {
  const n = wholeNumber(value);
  if (n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
};

export const delayRange = (value: string): DelayRange => {
  try {
    return parseDelay(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
};

export const logFormat = (value: string): LogFormat => {
  if (value !== 'line' && value !== 'json') throw new InvalidArgumentError('must be line or json');
  return value;
};

/** `0.1` for every operation, or `policy_create=0.5` for one; repeatable. */
export const failRate = (value: string, previous: FailRates = {}): FailRates => {
  const match = /^(?:([a-z_]+)=)?(\d*\.?\d+)$/.exec(value);
  const rate = Number(match?.[2]);
  if (!match || !(rate >= 0 && rate <= 1)) throw new InvalidArgumentError('must be a rate from 0 to 1, optionally OPERATION_ID=RATE');
  if (!match[1]) return { ...previous, all: rate };
  return { ...previous, byOperation: { ...previous.byOperation, [match[1]]: rate } };
};

/** `1mb`, `512kb`, `2048` (bytes): what Express's body parser takes, checked before it sees it. */
export const byteSize = (value: string): string => {
  if (!/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i.test(value.trim())) throw new InvalidArgumentError('must be a size like 512kb or 1mb');
  return value.trim();
};

/** A size like `byteSize`, in bytes (read as the body parser reads its limit). */
export const byteCount = (value: string): number => bytesOf(byteSize(value));

/** A token: an empty one would lock everyone out (or, for --admin-token, guard nothing reachable). */
export const token = (value: string): string => {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty');
  return value;
};

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The pod and job ids of a contract profile, which a simulation must not remove. */
export async function profileIds(file: string): Promise<string[]> {
  let profile: { podIds?: unknown; jobIds?: unknown };
  try {
    profile = JSON.parse(await readFile(file, 'utf8')) as typeof profile;
  } catch (error) {
    throw new Error(`--simulate-keep: cannot read ${file} as JSON (${(error as Error).message})`);
  }
  const ids: unknown[] = [profile.podIds, profile.jobIds].flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : []));
  if (!ids.every((id): id is string => typeof id === 'string'))
    throw new Error(`--simulate-keep: ${file} has podIds/jobIds that are not strings`);
  return ids;
}
