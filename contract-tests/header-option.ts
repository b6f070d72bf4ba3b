import { ContractSetupError } from './config.js';

/** `--header 'Name: value'` (repeatable): the headers so far with this one added. */
export function parseHeader(raw: string, previous: Record<string, string>): Record<string, string> {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim();
  if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    throw new ContractSetupError(`--header takes 'Name: value' (a token name, then a colon)`);
  return { ...previous, [name]: raw.slice(colon + 1).trim() };
}

/** Headers the suite sets itself (the auth probes, the bodies it sends) or the connection owns. */
const RESERVED = ['authorization', 'content-type', 'content-length', 'host', 'transfer-encoding', 'connection'];

/** Extra headers of a run: a set-up error for one the suite must set itself, or a value no request can carry. */
export function checkHeaders(headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (RESERVED.includes(name.toLowerCase()))
      throw new ContractSetupError(`--header cannot set ${name}: the suite sets it (use --token for the bearer token)`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value))
      throw new ContractSetupError(`--header ${name}: the value holds characters a header cannot carry`);
  }
}
