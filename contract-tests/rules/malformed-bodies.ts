import type { RawRequest } from '../bodies.js';
import { validPolicyBody } from '../bodies.js';
import { OP } from '../operations.js';
import type { RuleContext } from './rule-context.js';

/**
 * Bodies that are not one JSON document, beyond truncated JSON: a parser that stops at the first
 * value (Go's json.Decoder) takes them for the first; RFC 8259 §2: a JSON text is one value. Bytes
 * that are not UTF-8 (RFC 8259 §8.1) are refused too: 400, or 415 (RFC 9110 §15.5.16), the status
 * for content a server will not decode.
 */
export function malformedBodyForms(validText: string): RawRequest[] {
  const latin1 = Buffer.from(validText.replace(/\}$/, ',"contract_note":"caf\u00e9"}'), 'latin1');
  return [
    { label: 'valid JSON followed by more data', rawBody: `${validText} trailing` },
    { label: 'a second JSON document after the first', rawBody: `${validText}${validText}` },
    { label: 'a second JSON document on the next line', rawBody: `${validText}\n{}` },
    { label: 'a body that is not UTF-8 (Latin-1 é)', rawBody: new Uint8Array(latin1), alsoAllowed: [415] },
  ];
}

const BOM = '\ufeff';

/**
 * A byte-order mark before the JSON: RFC 8259 §8.1 forbids sending one and lets a parser ignore
 * it, so the target may accept the body as the JSON after it, or refuse it with a declared 4xx.
 */
export async function checkByteOrderMark(ctx: RuleContext): Promise<void> {
  const s = ctx.session;
  const body = validPolicyBody(s.profile, 'pods', s.resourceName('bom'), 'full');
  const { exchange } = await s.create({ rawBody: `${BOM}${JSON.stringify(body)}` });
  if (exchange.response.status === 200) return ctx.pass(OP.create);
  ctx.expectDeclaredError(exchange, 'a body starting with a byte-order mark: accepted (200) or refused');
}
