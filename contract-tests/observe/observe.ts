import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_OBSERVE_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS } from '../defaults.js';
import { ContractSetupError } from '../config.js';
import { readCaCert } from '../target-tls.js';
import { Observation } from './observation.js';
import { observeResult, writeObserveReports, type ObserveResult, type ReportPaths } from './observe-report.js';
import { startProxy } from './proxy-server.js';

export interface ObserveOptions {
  /** The backend the client really talks to, e.g. `https://staging.example.com`. */
  upstream: string;
  /** Port of the proxy (default 0: a free one; the CLI's default is 4011). */
  port?: number | undefined;
  /** Address to listen on (default 127.0.0.1). */
  host?: string | undefined;
  /** Extra headers sent upstream with every request; their values are masked in every report. */
  headers?: Record<string, string> | undefined;
  /** A PEM file of the CA that signed a TLS upstream's certificate. */
  caCert?: string | undefined;
  /** Trust any certificate of a TLS upstream. */
  insecure?: boolean | undefined;
  /** The token the client sends (masked everywhere; with `expectAuth`, other tokens must be refused). */
  token?: string | undefined;
  expectAuth?: boolean | undefined;
  /** Replace an answer that breaks the contract with a 502 ApiError naming the violation. */
  enforce?: boolean | undefined;
  /** Per request, the upstream's headers and body together (default 10 000 ms). */
  requestTimeoutMs?: number | undefined;
  /** Bytes of one body judged (and, with `enforce`, forwarded) at most (default 8 MiB). */
  maxBodyBytes?: number | undefined;
  /** Client connections open at once at most (default 64); more are closed as they come. */
  maxConnections?: number | undefined;
  /** Each violation as one printable line, the moment it is seen. */
  onViolation?: ((line: string) => void) | undefined;
  /** Each new kind of client finding as one printable line. */
  onClientFinding?: ((line: string) => void) | undefined;
}

export interface ObserveHandle {
  /** Where the client should send its requests instead of the upstream. */
  url: string;
  port: number;
  /** What was observed so far (verdict, violations, client findings, coverage). */
  results(): ObserveResult;
  /** Write the report files of the results so far. */
  writeReports(paths: ReportPaths): ObserveResult;
  /** Stop the proxy (open connections are closed) and resolve to the final results. */
  close(): Promise<ObserveResult>;
}

/**
 * Observe mode as a library: a loopback proxy in front of `upstream` that judges every exchange
 * between a real client and a real backend against the contract. Rejects with a
 * ContractSetupError for a bad upstream URL, an unreadable CA file or a port in use.
 */
export async function observe(options: ObserveOptions): Promise<ObserveHandle> {
  let upstream: URL;
  try {
    upstream = new URL(options.upstream);
  } catch {
    throw new ContractSetupError(`--upstream must be an http(s) URL, got "${options.upstream}"`);
  }
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') {
    throw new ContractSetupError(`--upstream must be an http(s) URL, got "${options.upstream}"`);
  }
  const ca = options.caCert === undefined ? undefined : readCaCert(options.caCert);
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const observation = new Observation({
    upstream: options.upstream,
    token: options.token,
    secrets: Object.values(options.headers ?? {}),
    maxBytes,
    expectAuth: options.expectAuth,
    onViolation: options.onViolation,
    onClientFinding: options.onClientFinding,
  });
  const host = options.host ?? '127.0.0.1';
  const proxy = await startProxy({
    upstream: options.upstream,
    host,
    port: options.port ?? 0,
    headers: options.headers ?? {},
    ca,
    insecure: options.insecure,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxBytes,
    maxConnections: options.maxConnections ?? DEFAULT_OBSERVE_MAX_CONNECTIONS,
    enforce: options.enforce === true,
    observation,
  }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    throw new ContractSetupError(
      code === 'EADDRINUSE'
        ? `port ${options.port} on ${host} is already in use (try --port)`
        : `cannot listen on ${host}: ${String(error)}`,
    );
  });
  let closed: Promise<ObserveResult> | undefined;
  return {
    url: proxy.url,
    port: proxy.port,
    results: () => observeResult(observation),
    writeReports(paths) {
      const result = observeResult(observation);
      writeObserveReports(observation, result, paths);
      return result;
    },
    close() {
      closed ??= proxy.close().then(() => observeResult(observation));
      return closed;
    },
  };
}
