/** What a client asked for in `Prefer` (RFC 7240, Prism's vocabulary): `Prefer: code=500, delay=200`. */
export interface Preferences {
  code?: number;
  delay?: number;
  /** Values that are present but not numbers, for a clear 400. */
  invalid: string[];
}

export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = { invalid: [] };
  if (!header) return preferences;
  for (const part of header.split(/[,;]/)) {
    const [rawKey, rawValue] = part.split('=', 2).map((s) => s.trim());
    const key = rawKey?.toLowerCase();
    if (key !== 'code' && key !== 'delay') continue;
    const value = rawValue?.replace(/^"(.*)"$/, '$1') ?? '';
    if (!/^\d+$/.test(value)) preferences.invalid.push(`${key}=${value}`);
    else preferences[key] = Number(value);
  }
  return preferences;
}
