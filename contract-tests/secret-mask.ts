/** What reports show instead of the token: the shell variable a reader sets to replay a request. */
export const TOKEN_VARIABLE = '$CONTRACT_TOKEN';

/**
 * Replaces every occurrence of `secret` in `text` (also as JSON or URL escaping would spell it: a
 * target may echo the token back in an error body) by `$CONTRACT_TOKEN`.
 */
export function maskSecret(text: string, secret: string | undefined): string {
  if (!secret) return text;
  let out = text;
  const spellings = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  for (const spelling of spellings) if (spelling) out = out.split(spelling).join(TOKEN_VARIABLE);
  return out;
}
