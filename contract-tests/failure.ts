import { PROBE_WORDS } from './auth-probes.js';
import { keptExchange, KEPT_TEXT_CHARS, type Exchange } from './client.js';
import { oneLine, printable } from './printable.js';
import type { SchemaError } from './validator.js';

/** One broken expectation, with everything needed to understand and reproduce it. */
export interface Failure {
  /** The rule's id (the engine knows rules by id only; run-contract.ts narrows to RuleId). */
  rule: string;
  operationId: string;
  /** What must hold, in words. */
  expected: string;
  /** The exchange that showed it, when one did. */
  exchange?: Exchange | undefined;
  /** What came back when that is not just the response (e.g. a list entry that differs). */
  actual?: string | undefined;
  schemaErrors?: SchemaError[] | undefined;
  /** The rule whose scenario was running when it was seen (shape rules judge everyone's exchanges). */
  phase?: string | undefined;
  /** What the body should have held and what it did, for a line diff in the HTML report. */
  bodies?: { expected: string; actual: string } | undefined;
  /** How many failures of one group (same rule, operation and schema pointer) this one stands for (default 1). */
  repeats?: number | undefined;
  /** Other expectations broken in its group, besides its own (a few, distinct). */
  alike?: string[] | undefined;
}

/**
 * The schema pointers of a failure, each array index written as `*`, so that one field missing
 * from every item of a list is one group, not one per item.
 */
export function schemaPointerOf(failure: Pick<Failure, 'schemaErrors'>): string {
  const pointers = new Set((failure.schemaErrors ?? []).map((e) => e.pointer.replace(/\/\d+(?=\/|$)/g, '/*')));
  return [...pointers].sort().join(' ');
}

/** Failures alike enough to be reported once, with a count: rule, operation and schema pointer. */
export const groupKey = (failure: Failure) => `${failure.rule} ${failure.operationId} ${schemaPointerOf(failure)}`;

const BODY_EXCERPT = 500;

/** A target's text on one printable line, cut to `limit` characters; `whole` is its length before any cut. */
export function excerpt(text: string, limit = BODY_EXCERPT, whole = text.length): string {
  return oneLine(text.length > limit || whole > text.length ? `${text.slice(0, limit)}… (${whole} chars)` : text);
}

/** Schema errors kept per failure (a list of thousands of bad entries has as many). */
const KEPT_SCHEMA_ERRORS = 50;

const clip = (text: string) => (text.length > KEPT_TEXT_CHARS ? `${text.slice(0, KEPT_TEXT_CHARS)}… (${text.length} chars)` : text);

/**
 * A failure as the recorder keeps it: every text of the target's cut to KEPT_TEXT_CHARS and at
 * most KEPT_SCHEMA_ERRORS schema errors, so that a run's failures take bounded memory whatever
 * the target answers.
 */
export function keptFailure(failure: Failure): Failure {
  return {
    ...failure,
    expected: clip(failure.expected),
    ...(failure.actual !== undefined ? { actual: clip(failure.actual) } : {}),
    ...(failure.exchange ? { exchange: keptExchange(failure.exchange) } : {}),
    ...(failure.schemaErrors
      ? {
          schemaErrors: failure.schemaErrors
            .slice(0, KEPT_SCHEMA_ERRORS)
            .map((e) => ({ pointer: clip(e.pointer), message: clip(e.message) })),
        }
      : {}),
    ...(failure.bodies ? { bodies: { expected: clip(failure.bodies.expected), actual: clip(failure.bodies.actual) } } : {}),
    ...(failure.alike ? { alike: failure.alike.map(clip) } : {}),
  };
}

export function renderFailure(failure: Failure): string {
  const repeats = failure.repeats ?? 1;
  const pointer = schemaPointerOf(failure);
  const group = repeats > 1 ? ` · ${repeats} failures alike${pointer ? ` (schema ${oneLine(pointer)})` : ''}, one shown` : '';
  const lines = [`✗ ${failure.rule} · ${oneLine(failure.operationId)}${group}`];
  if (failure.phase && failure.phase !== failure.rule) lines.push(`  seen while checking: ${failure.phase}`);
  const ex = failure.exchange;
  if (ex) {
    lines.push(`  request:  ${ex.request.method} ${oneLine(ex.request.path)}${authNote(ex)}`);
    if (ex.request.body !== undefined) {
      lines.push(`            body (${oneLine(ex.request.headers['Content-Type'] ?? 'no content type')}): ${excerpt(ex.request.body)}`);
    }
  }
  lines.push(`  expected: ${printable(failure.expected)}`);
  if (ex) lines.push(`  actual:   ${describeResponse(ex)}`);
  if (failure.actual) lines.push(`  found:    ${printable(failure.actual)}`);
  for (const error of failure.schemaErrors ?? []) lines.push(`  schema:   ${oneLine(error.pointer)} ${oneLine(error.message)}`);
  if (ex) lines.push(`  reproduce: ${oneLine(ex.curl)}`);
  for (const other of failure.alike ?? []) lines.push(`  also:     ${oneLine(other)}`);
  return lines.join('\n');
}

/** What came back, in one printable line: the response, and any finding beyond it. */
export function actualOf(failure: Failure): string {
  const ex = failure.exchange;
  return (
    [ex ? describeResponse(ex) : undefined, failure.actual ? oneLine(failure.actual) : undefined].filter(Boolean).join(' · ') || '(nothing)'
  );
}

/** The response in one printable line: status, content type, body excerpt, and why it is incomplete. */
export function describeResponse(ex: Exchange): string {
  const r = ex.response;
  if (r.status === 0) return `no response (${oneLine(r.error ?? 'unknown error')})`;
  const body = r.text === '' ? '(empty)' : excerpt(r.text, BODY_EXCERPT, r.textLength);
  return `${r.status}, content type ${oneLine(r.contentTypeHeader) || '(none)'}, body: ${body}${r.error ? ` · ${oneLine(r.error)}` : ''}`;
}

/** How the request authenticated, when not with the token: ' (no Authorization header)' etc. */
export function authNote(exchange: Exchange): string {
  switch (exchange.auth) {
    case 'token':
      return '';
    case 'none':
      return ' (no Authorization header)';
    case 'wrong':
      return ' (wrong bearer token)';
    case 'malformed':
      return ' (non-bearer Authorization header)';
    default:
      return ` (${PROBE_WORDS[exchange.auth]})`;
  }
}
