/**
 * How formats are checked, shared by the response validator (express-openapi-validator) and the
 * snapshot check, so that they never disagree on what a date-time or an int64 is.
 */
export const AJV_FORMATS_MODE = 'fast' as const;

/**
 * int64 as a JSON number can hold it: ajv-formats checks only "is an integer". 2^63 is allowed
 * because 9223372036854775807, the largest int64, parses to it; whether the value can be kept
 * exactly is the domain's call (it refuses what it cannot keep, with a message saying why).
 */
export const INT64_FORMAT = {
  type: 'number' as const,
  validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 63) && n <= 2 ** 63,
};
