export interface DiffLine {
  /** ' ' in both, '-' only in the expected text, '+' only in the actual one. */
  op: ' ' | '-' | '+';
  text: string;
}

/** Past this many lines a side, the quadratic table below costs more than a report is worth. */
const MAX_LINES = 400;

/**
 * A line diff of two texts (longest common subsequence): small, and enough for the JSON bodies a
 * report compares. Undefined when either text is too long to diff.
 */
export function lineDiff(expected: string, actual: string): DiffLine[] | undefined {
  const a = expected.split('\n');
  const b = actual.split('\n');
  if (a.length > MAX_LINES || b.length > MAX_LINES) return undefined;
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  const at = (i: number, j: number) => common[i]?.[j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] ?? '' });
      j++;
    } else if (i < a.length && (j >= b.length || at(i + 1, j) >= at(i, j + 1))) out.push({ op: '-', text: a[i++] ?? '' });
    else out.push({ op: '+', text: b[j++] ?? '' });
  }
  return out;
}
