/** POSIX shell quoting; ANSI-C quoting when the text holds control characters a terminal would eat. */
export function shellQuote(text: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) {
    const escaped = Array.from(text, (ch) => {
      const code = ch.codePointAt(0) ?? 0;
      if (ch === "'" || ch === '\\') return `\\${ch}`;
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
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

/** A command that replays the request as sent, headers included, so a failure can be reproduced by hand. */
export function renderCurl({ method, url, headers, body }: CurlInput): string {
  const parts = ['curl', '-i', '-X', method, shellQuote(url)];
  for (const [name, value] of Object.entries(headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (body !== undefined) parts.push('--data-binary', shellQuote(body));
  return parts.join(' ');
}
