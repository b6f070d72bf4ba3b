import { readFileSync } from 'node:fs';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import { ContractSetupError, type TargetTls } from './config.js';

export type { TargetTls } from './config.js';

/** The PEM file of `--ca-cert`, or a set-up error naming it. */
export function readCaCert(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ContractSetupError(`cannot read --ca-cert ${path}: ${(error as Error).message}`);
  }
}

export const tlsAgentOptions = (tls: TargetTls): AgentOptions => ({
  ...(tls.ca ? { ca: tls.ca } : {}),
  rejectUnauthorized: tls.insecure !== true,
});

/**
 * An agent for https requests with these options, or undefined when there are none (then Node's
 * fetch is used). Node 20's fetch takes a CA only through the undici package's Agent, which the
 * suite does not depend on; node:https takes one directly.
 */
export function httpsAgentFor(tls: TargetTls | undefined): HttpsAgent | undefined {
  if (!tls || (tls.ca === undefined && tls.insecure !== true)) return undefined;
  return new HttpsAgent({ keepAlive: true, ...tlsAgentOptions(tls) });
}

/** A hint for a certificate the client refused. */
export const certificateHint = (error: string) =>
  /certificate|self[- ]signed|unable to verify|CERT_/i.test(error)
    ? ' (trust its CA with --ca-cert FILE, or skip verification with --insecure)'
    : '';
