/** Any UUID, in either case (what the spec's `format: uuid` accepts); the suite's one copy. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
