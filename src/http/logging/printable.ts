/**
 * Control characters, the two that end a line in JavaScript and in some terminals, and the
 * invisible and bidirectional ones that make a line read other than it is (Trojan Source).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `text` with every control character written as `\uXXXX`, so that a path or a body a client
 * sent cannot start a new (forged) log line or drive the terminal (`\u001b[2J`).
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
