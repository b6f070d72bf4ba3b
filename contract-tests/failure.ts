import type { Exchange } from './client.js';
import type { RuleId } from './rules.js';
import type { SchemaError } from './validator.js';

/** One broken expectation, with everything needed to understand and reproduce it. */
export interface Failure {
  rule: RuleId;
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
}

const BODY_EXCERPT = 500;

export function excerpt(text: string, limit = BODY_EXCERPT): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
}

export function renderFailure(failure: Failure): string {
  const lines = [`✗ ${failure.rule} · ${failure.operationId}`];
  if (failure.phase && failure.phase !== failure.rule) lines.push(`  seen while checking: ${failure.phase}`);
  const ex = failure.exchange;
  if (ex) {
    lines.push(`  request:  ${ex.request.method} ${ex.request.path}${authNote(ex)}`);
    if (ex.request.body !== undefined) {
      lines.push(`            body (${ex.request.headers['Content-Type'] ?? 'no content type'}): ${excerpt(ex.request.body)}`);
    }
  }
  lines.push(`  expected: ${failure.expected}`);
  if (ex) {
    const r = ex.response;
    lines.push(
      r.status === 0
        ? `  actual:   no response (${r.error ?? 'unknown error'})`
        : `  actual:   ${r.status}, content type ${r.contentTypeHeader || '(none)'}, body: ${r.text === '' ? '(empty)' : excerpt(r.text)}`,
    );
  }
  if (failure.actual) lines.push(`  found:    ${failure.actual}`);
  for (const error of failure.schemaErrors ?? []) lines.push(`  schema:   ${error.pointer} ${error.message}`);
  if (ex) lines.push(`  reproduce: ${ex.curl}`);
  return lines.join('\n');
}

function authNote(exchange: Exchange): string {
  switch (exchange.auth) {
    case 'token':
      return '';
    case 'none':
      return ' (no Authorization header)';
    case 'wrong':
      return ' (wrong bearer token)';
    case 'malformed':
      return ' (non-bearer Authorization header)';
  }
}
