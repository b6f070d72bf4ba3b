/**
 * Deepest nesting of arrays and objects accepted in a JSON body. The spec's bodies nest three
 * levels; it allows unknown fields, so a deeper one is not invalid as such, but a megabyte of `[`
 * costs a quarter of a million arrays, and recursive code a stack: refused before parsing, like
 * Jackson's default limit (1000).
 */
export const MAX_JSON_DEPTH = 1000;

/** What body-parser's `verify` throws (its `type` becomes the error's), turned into a 400 by toApiError. */
export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
  readonly type = 'entity.too.deep';
  constructor(readonly limit: number) {
    super(`request body nests arrays and objects deeper than ${limit} levels`);
  }
}

/** For express.json's `verify`: a linear scan of the raw body (strings skipped), before it is parsed. */
export function refuseDeepJson(limit: number = MAX_JSON_DEPTH): (req: unknown, res: unknown, body: Buffer) => void {
  return (_req, _res, body) => {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i];
      if (inString) {
        if (c === 0x5c) i++; // backslash: skip the escaped byte
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) {
        inString = true;
      } else if (c === 0x5b || c === 0x7b) {
        if (++depth > limit) throw new JsonTooDeepError(limit);
      } else if (c === 0x5d || c === 0x7d) {
        depth--;
      }
    }
  };
}
