import { TOKEN_VARIABLE } from '../secret-mask.js';

// Characters a terminal would eat or reorder, or that a report must not carry raw (see printable.ts).
// eslint-disable-next-line no-control-regex
const NEEDS_ANSI_C = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|\p{Cs}/u;

/**
 * POSIX shell quoting; ANSI-C quoting when the text holds characters a terminal would eat. Those
 * are written as their UTF-8 bytes (`\xHH`), which bash turns back into the same bytes in any
 * locale; a lone surrogate becomes U+FFFD, as fetch sends it.
 */
export function shellQuote(text: string): string {
  if (NEEDS_ANSI_C.test(text)) {
    const escaped = Array.from(text, (ch) => {
      if (ch === "'" || ch === '\\') return `\\${ch}`;
      if (!NEEDS_ANSI_C.test(ch)) return ch;
      const bytes = Buffer.from(ch.length === 1 && /\p{Cs}/u.test(ch) ? '\ufffd' : ch, 'utf8');
      return [...bytes].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    }).join('');
    return `$'${escaped}'`;
  }
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

/** The Authorization header as reports hold it: the token is a shell variable the reader sets. */
export const TOKEN_AUTHORIZATION = `Bearer ${TOKEN_VARIABLE}`;

/** A header line whose only shell-special text is one `$CONTRACT_…` variable, e.g. `Authorization: Bearer $CONTRACT_TOKEN`. */
const EXPANDS = /^[\w.-]+: (?:Bearer )?\$CONTRACT_[A-Z0-9_]+$/;

/**
 * A command that replays the request as sent, headers included, so a failure can be reproduced by
 * hand. The token never appears: `-H "Authorization: Bearer $CONTRACT_TOKEN"` expands it.
 */
export function renderCurl({ method, url, headers, body }: CurlInput): string {
  const parts = ['curl', '-i', '-X', method, shellQuote(url)];
  for (const [name, value] of Object.entries(headers)) {
    // A secret shown as its variable (the token, a --header value): double quotes, so the shell expands it.
    if (EXPANDS.test(`${name}: ${value}`)) parts.push('-H', `"${name}: ${value}"`);
    else parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (body !== undefined) parts.push('--data-binary', shellQuote(body));
  return parts.join(' ');
}
