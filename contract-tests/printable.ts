/**
 * Characters a terminal or an XML 1.0 parser must never receive raw from a target: C0 controls,
 * DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF, and the bidi/line-separator controls that
 * reorder or break what a reader sees. Newline is handled by the caller.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|\p{Cs}/gu;

const escapeChar = (ch: string) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;

/** Text safe to print: every unsafe character shown as `\u001b` etc.; newlines kept. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Like `printable`, and newlines shown as `\n` too: a target's text can never start a report line. */
export function oneLine(text: string): string {
  return printable(text).replace(/\r?\n|\r/g, (nl) => (nl === '\n' ? '\\n' : nl === '\r' ? '\\r' : '\\r\\n'));
}
