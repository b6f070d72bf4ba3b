/** What reports show instead of the token: the shell variable a reader sets to replay a request. */
export const TOKEN_VARIABLE = '$CONTRACT_TOKEN';
/** The compare target's token is its own variable in what the suite prints. */
export const COMPARE_TOKEN_VARIABLE = '$CONTRACT_COMPARE_TOKEN';

/**
 * Replaces the secret in `text` by `variable`, whatever spelling a target's encoder chose for each
 * of its characters, mixed freely: raw, JSON/JS escapes (`\u002B`, `\/`, `\x2b`, nested `\\u002B`),
 * percent-encoding (`%2b`, `%252B`), HTML/XML character references (`&#43;`, `&#x2B;`, `&amp;`), and
 * base64 / base64url of any text holding it (e.g. of `Bearer <token>`), at any alignment. A JSON
 * body is masked on meaning this way: every string that decodes to hold the secret loses it, and
 * the body stays valid JSON. A secret shorter than 8 characters is masked only where no letter or
 * digit touches it (else a token `x` would mask every x of a report). Not covered (see
 * docs/limits.md): hashes, hex, case changes, compression, or a secret split across fields.
 */
export function maskSecret(text: string, secret: string | undefined, variable = TOKEN_VARIABLE): string {
  if (!secret) return text;
  return text.replace(patternOf(secret), variable);
}

/** What reports show instead of a `--header` value: `$CONTRACT_HEADER_X_API_KEY` for `X-Api-Key`. */
export const headerVariable = (name: string) => `$CONTRACT_HEADER_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** Each extra header's value as a secret, with the variable reports show instead. */
export const headerSecrets = (headers: Readonly<Record<string, string>> = {}) =>
  Object.entries(headers).map(([name, value]) => [value, headerVariable(name)] as const);

/** One function that masks each secret by its own variable; reports apply it after every transformation. */
export function secretMasker(secrets: readonly (readonly [secret: string | undefined, variable: string])[]): (text: string) => string {
  return (text) => secrets.reduce((out, [secret, variable]) => maskSecret(out, secret, variable), text);
}

/** Secrets of fewer characters are masked as whole words only (docs/limits.md). */
const SHORT_SECRET = 8;

const patterns = new Map<string, RegExp>();

function patternOf(secret: string): RegExp {
  let pattern = patterns.get(secret);
  if (!pattern) {
    if (patterns.size > 16) patterns.clear();
    const chars = Array.from(secret);
    const spelled = chars.map((ch) => `(?:${spellings(ch).join('|')})`).join('');
    // A short secret ("x", "dev") is also a piece of ordinary words: masked only where it stands alone.
    const alone = chars.length < SHORT_SECRET ? `(?<![A-Za-z0-9])(?:${spelled})(?![A-Za-z0-9])` : spelled;
    pattern = new RegExp([alone, ...base64Cores(secret).map(escapeRegex)].join('|'), 'g');
    patterns.set(secret, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** Hex digits of `n`, at least `width` of them, each letter in either case. */
const hex = (n: number, width: number) =>
  n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);

const SHORT_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\\\', '/': '/', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't' };
const NAMED_REFERENCES: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };

// Quantifiers are bounded so that matching stays linear in the text, whatever a target sends.
const BACKSLASHES = '\\\\{1,8}';

/** Every spelling of one character (one code point) a report could show. */
function spellings(ch: string): string[] {
  const cp = ch.codePointAt(0) ?? 0;
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i));
  const out = [escapeRegex(ch), units.map((u) => `${BACKSLASHES}u${hex(u, 4)}`).join('')];
  if (cp < 0x100) out.push(`${BACKSLASHES}x${hex(cp, 2)}`);
  const short = SHORT_ESCAPES[ch];
  if (short) out.push(`${BACKSLASHES}${short}`);
  out.push([...Buffer.from(ch, 'utf8')].map((b) => `%(?:25){0,3}${hex(b, 2)}`).join(''));
  if (ch === ' ') out.push('\\+');
  out.push(`&#0{0,8}${cp};`, `&#[xX]0{0,8}${hex(cp, 1)};`);
  const named = NAMED_REFERENCES[ch];
  if (named) out.push(`&${named};`);
  return out;
}

/**
 * The base64 and base64url characters that depend on the secret's bytes only, for each of the
 * three alignments it can have inside a longer encoded text. Too short a core would mask noise.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores = new Set<string>();
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    for (const encoding of ['base64', 'base64url'] as const) {
      const core = padded.toString(encoding).slice(first, end);
      if (core.length >= 8) cores.add(core);
    }
  }
  return [...cores];
}
