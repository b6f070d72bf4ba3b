/** The spec's integer formats, as the suite holds targets to them (its own copy: it shares nothing with the mock but the spec). */
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
/**
 * int64 as a JSON number can hold it: 9223372036854775807, the largest int64, parses to 2^63, so
 * 2^63 passes; what lies past it is told apart on the text (rules/edge-values.ts).
 */
export const INT64_LIMIT = 2 ** 63;

export const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
export const isInt64 = (n: number): boolean => Number.isInteger(n) && n >= -INT64_LIMIT && n <= INT64_LIMIT;
