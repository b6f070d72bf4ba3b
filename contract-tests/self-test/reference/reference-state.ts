import { REFERENCE_DATA as DATA } from '../reference-data.js';
import type { Fault, Variant } from './faults.js';

export interface Policy {
  id: string;
  resource: 'pods' | 'namespace' | 'jobs';
  resourceIds: string[];
  heartbeat: number;
  jobFilter: { namespace?: string | null; priority?: number | null } | null;
  timestamp: string;
  deleted: boolean;
  tracked: { jobIds: string[]; podIds: string[]; at: string };
  /** What the request said about `resource` (the defaulted_resource_listed_empty fault lists it). */
  sentResource: string | null;
  /** The pod_count_frozen_at_create fault: list's pod_count as computed at create. */
  podCountAtCreate?: number;
  /** The scope as created: the sync_keeps_created_filter fault syncs against it forever. */
  createdScope?: Pick<Policy, 'resourceIds' | 'jobFilter'>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Declared responses without content get no body. */
    readonly bare = false,
  ) {
    super(message);
  }
}

export type Reply = { status: number; json?: unknown; text?: string; contentType?: string };

/**
 * What every route of one reference server shares: its policies, its one fault and variant (each
 * route asks `has(fault)` for the faults of its own operation), and the cluster data.
 */
export class ReferenceState {
  readonly policies = new Map<string, Policy>();
  /** The null_priority_job variant: one job without a priority (the schema allows null). */
  readonly jobs: typeof DATA.jobs;

  constructor(
    /** One fault, or several independent ones (each in its own operation). */
    private readonly fault: Fault | readonly Fault[] | undefined,
    private readonly allowed: Variant | undefined,
    /** A teammate shares the server: their policy appears right after the suite's first create. */
    readonly teammate: boolean,
  ) {
    this.jobs = this.variant('null_priority_job') ? DATA.jobs.map((j, i) => (i === 4 ? { ...j, priority: null } : j)) : DATA.jobs;
  }

  has(fault: Fault): boolean {
    return Array.isArray(this.fault) ? this.fault.includes(fault) : this.fault === fault;
  }

  variant(variant: Variant): boolean {
    return this.allowed === variant;
  }

  live(): Policy[] {
    return [...this.policies.values()].filter((p) => !p.deleted);
  }

  find(id: string, { includeDeleted = false } = {}): Policy | undefined {
    const p = this.policies.get(id);
    return p && (!p.deleted || includeDeleted) ? p : undefined;
  }

  /** Times as sent: RFC 3339 in UTC with milliseconds, or (a variant) whole seconds with an offset. */
  stamp(d: Date): string {
    return this.variant('second_resolution_offset_times') ? d.toISOString().replace(/\.\d{3}Z$/, '+00:00') : d.toISOString();
  }

  /** The id as create and update answer it. */
  idText(id: string): string {
    return this.has('create_id_json_quoted') ? JSON.stringify(id) : this.variant('id_with_newline') ? `${id}\n` : id;
  }
}
