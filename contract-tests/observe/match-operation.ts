import type { Operation } from '../spec.js';

export interface MatchedOperation {
  operation: Operation;
  /** The path parameter's value, decoded, when the operation has one. */
  pathId?: string | undefined;
}

/** Finds the spec's operation for a method and path; undefined for anything the spec does not declare. */
export function matchOperation(operations: readonly Operation[], method: string, pathname: string): MatchedOperation | undefined {
  for (const operation of operations) {
    if (operation.method !== method.toUpperCase()) continue;
    const pattern = new RegExp(`^${operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    const match = pattern.exec(pathname);
    if (!match) continue;
    const raw = match[1];
    return { operation, ...(raw !== undefined ? { pathId: safeDecode(raw) } : {}) };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
