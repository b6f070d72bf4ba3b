import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { ControlError } from '../errors/api-error.js';

export interface HostGuardOptions {
  /** The address the server listens on (always allowed). */
  listenHost?: string | undefined;
  /** More names (`--allowed-host`): `example.com`, `.example.com` for it and its subdomains, or `all`. */
  allowedHosts?: readonly string[] | undefined;
}

/**
 * Refuses requests whose `Host` is a name this mock was not told about, as dev servers do: a
 * DNS-rebinding page (`rebind.attacker.example` resolving to 127.0.0.1) would otherwise read and
 * replace the store through the browser. IP addresses and `localhost` need no rebinding, so they
 * always pass.
 */
const KEPT_HOSTS = 64;
const MAX_KEPT_HOST = 256;

export function hostGuard(options: HostGuardOptions): RequestHandler {
  const names = (options.allowedHosts ?? []).map((n) => n.toLowerCase());
  const listen = options.listenHost?.toLowerCase();
  const anyHost = names.includes('all');
  // Clients send the same Host on every request: its verdict is kept (a few, of bounded length).
  const allowed = new Set<string>();
  return (req, _res, next) => {
    const header = req.headers.host;
    if (header === undefined || anyHost || allowed.has(header)) return next();
    if (hostAllowed(hostnameOf(header), listen, names)) {
      if (header.length <= MAX_KEPT_HOST) {
        if (allowed.size >= KEPT_HOSTS) allowed.clear();
        allowed.add(header);
      }
      return next();
    }
    next(
      new ControlError(403, `the Host "${header}" is not allowed; start the mock with --allowed-host ${hostnameOf(header)} to allow it`, [
        { path: '/headers/host', message: 'is not an allowed host' },
      ]),
    );
  };
}

function hostAllowed(hostname: string, listen: string | undefined, names: readonly string[]): boolean {
  if (isIP(hostname) !== 0 || hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === listen) return true;
  return names.some((name) => (name.startsWith('.') ? hostname === name.slice(1) || hostname.endsWith(name) : hostname === name));
}

/** `example.com:4010` → `example.com`; `[::1]:4010` → `::1`; `localhost.` → `localhost`; junk stays junk. */
function hostnameOf(header: string): string {
  const host = header.trim().toLowerCase();
  if (isIP(host) === 6) return host;
  const bracketed = /^\[([^\]]+)\](?::\d*)?$/.exec(host);
  // Brackets hold an IPv6 address, nothing else.
  if (bracketed) return isIP(bracketed[1]!) === 6 ? bracketed[1]! : host;
  if (host.startsWith('[')) return host;
  const colon = host.lastIndexOf(':');
  const name = colon === -1 ? host : host.slice(0, colon);
  // The fully qualified form names the same host.
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
