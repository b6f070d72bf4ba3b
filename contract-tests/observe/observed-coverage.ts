import type { Recorder } from '../recorder.js';
import { resolveSchema, type Operation, type SchemaObject, type SpecDocument } from '../spec.js';

/** Request fields an operation's body declares: top level, and one level into objects (`job_filter.priority`). */
export function declaredFields(spec: SpecDocument, schema: SchemaObject | undefined): string[] {
  if (!schema) return [];
  const fields: string[] = [];
  for (const [name, property] of Object.entries(resolveSchema(spec, schema).properties ?? {})) {
    fields.push(name);
    const variants = [property, ...(property.oneOf ?? [])].map((s) => resolveSchema(spec, s));
    for (const v of variants) for (const inner of Object.keys(v.properties ?? {})) fields.push(`${name}.${inner}`);
  }
  return [...new Set(fields)];
}

/** The fields a request body sent, in `declaredFields`' terms. */
export function sentFields(json: unknown): string[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
  const fields: string[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    fields.push(name);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      for (const inner of Object.keys(value)) fields.push(`${name}.${inner}`);
  }
  return fields;
}

/**
 * What the observed traffic exercised of the contract: operations × declared statuses seen
 * (`(n)` never seen), the request fields a client never sent, and the rules that never had
 * anything to judge.
 */
export function renderObservedCoverage(
  recorder: Recorder,
  operations: readonly Operation[],
  fields: ReadonlyMap<string, { declared: string[]; sent: ReadonlySet<string> }>,
  rules: readonly string[],
): string {
  const rows = operations.map((op) => {
    const seen = recorder.observedStatuses(op.operationId);
    const statuses = op.responses.map((r) => (seen.has(r.status) ? ` ${r.status} ` : `(${r.status})`)).join(' ');
    const f = fields.get(op.operationId);
    const unsent = f ? f.declared.filter((name) => !f.sent.has(name)) : [];
    return [op.operationId, statuses, unsent.length ? `never sent: ${unsent.join(', ')}` : f ? 'every field sent' : ''];
  });
  const width = (i: number) => Math.max(...rows.map((r) => (r[i] ?? '').length));
  const lines = rows.map((r) => `  ${(r[0] ?? '').padEnd(width(0))}  ${(r[1] ?? '').padEnd(width(1))}  ${r[2] ?? ''}`.trimEnd());
  const idle = rules.filter((rule) => recorder.exchangesJudged(rule) === 0);
  return [
    'observed coverage: operations × declared statuses ((n) = never seen), request fields never sent',
    ...lines,
    `rules that never had anything to judge: ${idle.length ? idle.join(', ') : 'none'}`,
  ].join('\n');
}
