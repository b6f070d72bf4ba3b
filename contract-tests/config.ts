import type { Level } from './basis.js';
import { readFileSync } from 'node:fs';
import { UUID } from './uuid.js';

/** Which ids exist in the target (the suite assumes nothing else about its data). */
export interface ContractProfile {
  clusterId: string;
  podIds: string[];
  namespaceIds: string[];
  jobIds: string[];
  /** Must match at least one job of the cluster. */
  jobFilter: { namespace: string; priority: number };
}

export interface ContractOptions {
  baseUrl: string;
  token: string;
  profile: ContractProfile;
  expectAuth: boolean;
  /**
   * Whether the differential mode compares refusals of missing or wrong tokens: only when asked
   * (`--expect-auth`), not because our in-process mock, started with a token, refuses others.
   */
  compareAuth?: boolean | undefined;
  /** The differential compares every property, null and error code too, not only what the contract makes meaningful. */
  compareStrict?: boolean | undefined;
  /** Generated inputs per operation in the property-based phase. */
  fuzzRuns: number;
  seed: number;
  /** Only these rules (default: all that apply). */
  rules?: readonly string[] | undefined;
  /** Never these rules: reported as skipped, reason `excluded`. */
  excludeRules?: readonly string[] | undefined;
  /** `spec`: only what the OpenAPI document requires; `full`: its documented meaning too (defaults.ts). */
  level?: Level | undefined;
  /** Sent on every request; their values are secrets, masked like the token. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** How to trust an https target with its own CA. */
  tls?: TargetTls | undefined;
  /** Keep every exchange (bounded) for a HAR file: at most this many, each body cut to `bodyChars`. */
  har?: { maxEntries: number; bodyChars: number } | undefined;
  log?: ((line: string) => void) | undefined;
  /** Per request, headers and body together (defaults.ts). */
  requestTimeoutMs?: number | undefined;
  /** Bytes read of one response body at most (defaults.ts). */
  maxResponseBytes?: number | undefined;
  /** The whole run, clean-up excepted (defaults.ts). */
  deadlineMs?: number | undefined;
  /** Generated sequences in the model-based phase (0 turns it off). */
  modelRuns?: number | undefined;
  /** Distinct failures the model-based phase reports at most, each shrunk (defaults.ts). */
  modelMaxFailures?: number | undefined;
  /** Write each shrunk failing sequence here as a vitest regression test. */
  saveFailuresDir?: string | undefined;
  /** A second implementation to run the same generated sequences against (differential mode). */
  compare?: CompareTarget | undefined;
}

/** How to trust a target (or observe's upstream) behind TLS with its own CA: `--ca-cert FILE`, `--insecure`. */
export interface TargetTls {
  /** PEM of the CA to trust (besides Node's own). */
  ca?: string | Buffer | undefined;
  /** Trust any certificate. */
  insecure?: boolean | undefined;
}

export interface CompareTarget {
  baseUrl: string;
  token: string;
  profile: ContractProfile;
}

/** A problem with the set-up rather than with the target: reported plainly, exit code 2. */
export class ContractSetupError extends Error {
  override name = 'ContractSetupError';
}

export function parseCount(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ContractSetupError(`${name} must be a non-negative integer, got "${raw}"`);
  }
  return value;
}

/** A duration in seconds (fractions allowed), as milliseconds. */
export function parseSeconds(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new ContractSetupError(`${name} must be a number of seconds, got "${raw}"`);
  return Math.round(value * 1000);
}

export function loadProfile(path: string): ContractProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ContractSetupError(`cannot read profile ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ContractSetupError(`profile ${path} is not JSON: ${(error as Error).message}`);
  }
  return parseProfile(json, path);
}

export function parseProfile(json: unknown, source: string): ContractProfile {
  const problems: string[] = [];
  const obj = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof obj.clusterId !== 'string' || !UUID.test(obj.clusterId)) problems.push('clusterId must be a UUID');
  for (const key of ['podIds', 'namespaceIds', 'jobIds'] as const) {
    const ids = obj[key];
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && UUID.test(id))) {
      problems.push(`${key} must be a non-empty array of UUIDs`);
    }
  }
  const filter = (obj.jobFilter ?? {}) as Record<string, unknown>;
  if (typeof filter.namespace !== 'string' || filter.namespace === '') problems.push('jobFilter.namespace must be a namespace name');
  if (typeof filter.priority !== 'number' || !Number.isInteger(filter.priority)) problems.push('jobFilter.priority must be an integer');
  if (problems.length > 0) throw new ContractSetupError(`invalid profile ${source}: ${problems.join('; ')}`);
  return obj as unknown as ContractProfile;
}
