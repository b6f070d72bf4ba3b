/** One problem with a request: where (a JSON pointer into the request) and what. */
export interface ProblemDetail {
  path: string;
  message: string;
}

/** Why the domain refuses: the input is wrong, or what it names does not exist. No HTTP here. */
export type RefusalKind = 'invalid' | 'not_found';

/**
 * What one refusal says at most: a body of 250,000 bad items must not get a 25 MB answer (nor a
 * journal entry of that size). The first problems are the ones to fix; the rest are counted.
 */
export const REFUSAL_LIMITS = { message: 1000, details: 50, detailText: 300 };

/** The domain's refusal of a request; the operation that called it picks the declared status. */
export class Refusal extends Error {
  override name = 'Refusal';
  readonly details: ProblemDetail[];

  constructor(
    readonly kind: RefusalKind,
    message: string,
    details: ProblemDetail[] = [],
  ) {
    super(clip(message, REFUSAL_LIMITS.message));
    this.details = boundedDetails(details);
  }
}

/**
 * At most `max` characters of `text`, saying how much was cut. A copy: V8 keeps the whole of a
 * string alive behind a slice of it (a journal entry of a 15 KB path would hold 15 KB, not 2).
 */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const suffix = `… (${text.length} characters in all)`;
  return copied(`${text.slice(0, Math.max(0, max - suffix.length))}${suffix}`);
}

/** A string of its own: a JSON round trip makes a new flat string (lone surrogates included). */
const copied = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

/** The first REFUSAL_LIMITS.details problems, each clipped, and a count of the rest. */
export function boundedDetails(details: readonly ProblemDetail[]): ProblemDetail[] {
  const max = REFUSAL_LIMITS.details;
  const kept = details.length <= max ? details : details.slice(0, max - 1);
  const bounded = kept.map((d) => ({ path: clip(d.path, REFUSAL_LIMITS.detailText), message: clip(d.message, REFUSAL_LIMITS.detailText) }));
  if (details.length > max) bounded.push({ path: '/', message: `and ${details.length - kept.length} more problems` });
  return bounded;
}

export const invalid = (message: string, details?: ProblemDetail[]) => new Refusal('invalid', message, details);
export const notFound = (message: string) => new Refusal('not_found', message);
