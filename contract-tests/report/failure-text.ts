import { describeBasis } from '../basis.js';
import { PROBE_WORDS } from '../auth-probes.js';
import type { Exchange } from '../client.js';
import { schemaPointerOf, type Failure } from '../failure.js';
import { oneLine, printable } from '../printable.js';

const BODY_EXCERPT = 500;

/** A target's text on one printable line, cut to `limit` characters; `whole` is its length before any cut. */
export function excerpt(text: string, limit = BODY_EXCERPT, whole = text.length): string {
  return oneLine(text.length > limit || whole > text.length ? `${text.slice(0, limit)}… (${whole} chars)` : text);
}

export function renderFailure(failure: Failure): string {
  const repeats = failure.repeats ?? 1;
  const pointer = schemaPointerOf(failure);
  const group = repeats > 1 ? ` · ${repeats} failures alike${pointer ? ` (schema ${oneLine(pointer)})` : ''}, one shown` : '';
  const mark = failure.waived === undefined ? '✗' : '~ waived:';
  const lines = [`${mark} ${failure.rule} · ${oneLine(failure.operationId)}${group}`];
  if (failure.waived !== undefined) lines.push(`  waiver:   ${oneLine(failure.waived)} (does not fail the run)`);
  if (failure.phase && failure.phase !== failure.rule) lines.push(`  seen while checking: ${failure.phase}`);
  const ex = failure.exchange;
  if (ex) {
    lines.push(`  request:  ${ex.request.method} ${oneLine(ex.request.path)}${authNote(ex)}`);
    if (ex.request.body !== undefined) {
      lines.push(`            body (${oneLine(ex.request.headers['Content-Type'] ?? 'no content type')}): ${excerpt(ex.request.body)}`);
    }
  }
  lines.push(`  expected: ${printable(failure.expected)}`);
  lines.push(`  basis:    ${printable(describeBasis(failure.basis))}`);
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
