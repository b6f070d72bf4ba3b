/**
 * Deepest nesting of arrays and objects accepted in a JSON body. The spec's bodies nest three
 * levels; it allows unknown fields, so a deeper one is not invalid as such, but a megabyte of `[`
 * costs a quarter of a million arrays, and recursive code a stack: refused before parsing, like
 * Jackson's default limit (1000).
 */
export const MAX_JSON_DEPTH = 1000;

/** What body-parser's `verify` throws (its `type` becomes the error's), turned into a 4xx by toApiError. */
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

const isNumberByte = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;

/**
 * For express.json's `verify`: one linear scan of the raw body (strings skipped), before it is
 * parsed: too deep a nesting, or a number that would not be kept as sent, refuses the body.
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
        while (end < body.length && isNumberByte(body[end]!)) end++;
        const literal = body.toString('latin1', i, end);
        if (!keptExactly(literal)) throw new InexactNumberError(literal);
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
  // Short literals are always kept (at most 15 significant digits), and are the common case.
  if (literal.length <= 15 && !/[eE]/.test(literal)) return true;
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
  const significant = digits.slice(first).replace(/0+$/, '');
  // The magnitude: where the first significant digit sits relative to the decimal point.
  const magnitude = whole.length - first + Number(exponent);
  return `${sign}${significant}@${magnitude}`;
}
