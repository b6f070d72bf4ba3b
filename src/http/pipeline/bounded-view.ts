/** What `boundedView` gives: the copy, and the JSON pointer and length of arrays it cut. */
export interface BoundedView {
  view: unknown;
  /** The first `maxItems` cuts whose pointer is at most MAX_POINTER characters (what an answer can name). */
  cut: Array<{ pointer: string; length: number }>;
}

/** A pointer longer than this names no field of the spec (and would be clipped in an answer). */
const MAX_POINTER = 1000;

/**
 * A copy of `value` in which every array keeps only its first `maxItems` items: what a validator
 * that reports every problem may read, so that its work (one error object per bad item, and all
 * that is built from them) is bounded by what an answer can show, not by the body. Linear in
 * `value`; pointers (RFC 6901, as ajv writes them, starting at `root`) are built only for the cuts kept.
 */
export function boundedView(value: unknown, maxItems: number, root = ''): BoundedView {
  const cut: BoundedView['cut'] = [];
  const path: string[] = [];
  const copy = (at: unknown, pointerLength: number): unknown => {
    if (typeof at !== 'object' || at === null) return at;
    if (Array.isArray(at)) {
      if (at.length > maxItems && cut.length < maxItems && pointerLength <= MAX_POINTER)
        cut.push({ pointer: `${root}${path.map((p) => `/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`, length: at.length });
      return at.slice(0, maxItems).map((item: unknown, i) => within(String(i), item, pointerLength));
    }
    // fromEntries defines each key as its own property: `__proto__` stays a key, as JSON.parse made it.
    return Object.fromEntries(Object.entries(at).map(([key, item]) => [key, within(key, item, pointerLength)]));
  };
  const within = (segment: string, item: unknown, pointerLength: number): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    path.push(segment);
    const copied = copy(item, pointerLength + segment.length + 1);
    path.pop();
    return copied;
  };
  return { view: copy(value, root.length), cut };
}
