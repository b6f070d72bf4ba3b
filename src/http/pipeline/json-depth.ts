/**
 * Deepest nesting of arrays and objects accepted in a JSON body. The spec's bodies nest three
 * levels; it allows unknown fields, so a deeper one is not invalid as such, but a megabyte of `[`
 * costs a quarter of a million arrays, and recursive code a stack: refused before parsing, like
 * Jackson's default limit (1000).
 */
export const MAX_JSON_DEPTH = 1000;

/** What body-parser's `verify` throws (its `type` becomes the error's), turned into a 4xx by normalizeError. */
export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
  readonly type = 'entity.too.deep';
  constructor(readonly limit: number) {
    super(`request body nests arrays and objects deeper than ${limit} levels`);
  }
}

/** A number the body holds that a JSON double cannot keep as sent (`1.00000000000000001`, `1e400`). */
export class InexactNumberError extends Error {
  override name = 'InexactNumberError';
  readonly type = 'entity.inexact.number';
  constructor(readonly literal: string) {
    super(
      `the number ${literal.length > 40 ? `${literal.slice(0, 40)}…` : literal} cannot be kept exactly (numbers are kept as doubles: up to 15 significant digits, integers up to 9007199254740991); nothing was changed`,
    );
  }
}

/**
 * Longest number literal accepted. Every double, written out in full without an exponent and with
 * only the digits it needs, takes at most 326 characters (`-0.` and 323 more for 5e-324); a longer
 * literal holds nothing the API could keep, and refusing it bounds the work each number costs.
 */
export const MAX_NUMBER_LITERAL = 400;

/** A number literal longer than MAX_NUMBER_LITERAL characters. */
export class NumberTooLongError extends Error {
  override name = 'NumberTooLongError';
  readonly type = 'entity.number.too.long';
  constructor(
    readonly length: number,
    readonly limit: number = MAX_NUMBER_LITERAL,
  ) {
    super(
      `the body holds a number ${length} characters long; numbers may be at most ${limit} characters (they are kept as doubles: no double needs more); nothing was changed`,
    );
  }
}

/** A literal this short without an exponent has at most 15 significant digits: a double keeps it. */
const SHORT_LITERAL = 15;

const isNumberByte = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/**
 * For express.json's `verify`: one linear scan of the raw body (strings skipped), before it is
 * parsed: too deep a nesting, too long a number, or a number that would not be kept as sent,
 * refuses the body. It runs before auth, so every step of it is linear in the body's length.
 */
export function refuseDeepJson(limit: number = MAX_JSON_DEPTH): (req: unknown, res: unknown, body: Buffer) => void {
  return (_req, _res, body) => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (inString) {
        if (c === 0x5c)
          i++; // backslash: skip the escaped byte
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) {
        inString = true;
      } else if (c === 0x5b || c === 0x7b) {
        if (++depth > limit) throw new JsonTooDeepError(limit);
      } else if (c === 0x5d || c === 0x7d) {
        depth--;
      } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
        let end = i + 1;
        let exponent = false;
        for (let b = body[end]; end < body.length && isNumberByte(b!); b = body[++end]) exponent ||= b === 0x65 || b === 0x45;
        if (end - i > MAX_NUMBER_LITERAL) throw new NumberTooLongError(end - i);
        // Most literals are short and plain, always kept (see keptExactly): no string is made for them.
        if (end - i > SHORT_LITERAL || exponent) {
          const literal = body.toString('latin1', i, end);
          if (!keptExactly(literal)) throw new InexactNumberError(literal);
        }
        i = end - 1;
      }
    }
  };
}

/**
 * Whether parsing `literal` and writing it back gives the same number: its significant digits and
 * its magnitude, once leading and trailing zeros are set aside (`1.0` and `1e2` are kept as 1 and
 * 100; `0.1` as 0.1; `9007199254740993` is not).
 */
export function keptExactly(literal: string): boolean {
  if (literal.length <= SHORT_LITERAL && !/[eE]/.test(literal)) return true;
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  const sent = canonical(literal);
  return sent === null || sent === canonical(String(value));
}

/** `[-]digits@exponent` with no leading or trailing zeros; null for zero (any zero is kept). */
function canonical(text: string): string | null {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`;
  const first = digits.search(/[1-9]/);
  if (first === -1) return null;
  // Not `replace(/0+$/, '')`: that retries at every zero of a run (quadratic in its length).
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === 0x30) last--;
  const significant = digits.slice(first, last);
  // The magnitude: where the first significant digit sits relative to the decimal point.
  const magnitude = whole.length - first + Number(exponent);
  return `${sign}${significant}@${magnitude}`;
}
