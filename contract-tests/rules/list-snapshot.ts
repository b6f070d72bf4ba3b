import type { Exchange } from '../client.js';
import type { RunState, PolicyEntry } from '../run-state.js';

/** What list says: every id, and in full the fields of the policies this run owns. */
export interface ListSnapshot {
  ids: Set<string>;
  own: Map<string, string>;
}

/** Fields a rejected request must not touch; counts are left out as they follow the cluster live. */
const STABLE_FIELDS = ['input', 'resource', 'resource_list', 'policy_type', 'timestamp'] as const;

export function stableView(entry: PolicyEntry): string {
  return JSON.stringify(STABLE_FIELDS.map((f) => entry[f] ?? null));
}

export async function takeSnapshot(s: RunState): Promise<{ exchange: Exchange; snapshot?: ListSnapshot }> {
  const { exchange, policies } = await s.list();
  if (!policies) return { exchange };
  const own = new Map<string, string>();
  for (const p of policies) if (s.own.has(p.id)) own.set(p.id, stableView(p));
  return { exchange, snapshot: { ids: new Set(policies.map((p) => p.id)), own } };
}

/** A readable difference, or undefined when nothing changed. */
export function describeChange(before: ListSnapshot, after: ListSnapshot): string | undefined {
  const added = [...after.ids].filter((id) => !before.ids.has(id));
  const removed = [...before.ids].filter((id) => !after.ids.has(id));
  const changed = [...before.own].filter(([id, view]) => after.own.has(id) && after.own.get(id) !== view).map(([id]) => id);
  const parts: string[] = [];
  if (added.length) parts.push(`new in list: ${added.join(', ')}`);
  if (removed.length) parts.push(`gone from list: ${removed.join(', ')}`);
  for (const id of changed) parts.push(`changed ${id}: ${before.own.get(id)} → ${after.own.get(id)}`);
  return parts.length ? parts.join('; ') : undefined;
}
