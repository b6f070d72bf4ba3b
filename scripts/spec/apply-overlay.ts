import { JSONPath } from 'jsonpath-plus';
import type { JsonObject } from './merge-fragments.js';

/** An OpenAPI Overlay 1.0 document: reviewed, targeted edits to another document. */
export interface Overlay {
  overlay: string;
  info: { title: string; version: string };
  actions: OverlayAction[];
}

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

/**
 * Applies an overlay to a copy of `document` (Overlay 1.0: objects merge recursively, arrays
 * append, `remove` deletes). An action whose target matches nothing is an error, so a fix that
 * upstream made obsolete is noticed instead of silently doing nothing.
 */
export function applyOverlay<T extends JsonObject>(document: T, overlay: Overlay): T {
  if (!/^1\.\d+\.\d+$/.test(overlay.overlay)) {
    throw new Error(`unsupported overlay version ${overlay.overlay} (expected 1.x.x)`);
  }
  const result = structuredClone(document);
  for (const action of overlay.actions) {
    const matches = JSONPath<Array<{ value: unknown; parent: unknown; parentProperty: string | number }>>({
      path: action.target,
      json: result,
      resultType: 'all',
    });
    if (matches.length === 0) throw new Error(`overlay target ${action.target} matches nothing`);
    // Reverse order so removing array items does not shift the ones still to visit.
    for (const match of [...matches].reverse()) {
      if (action.remove) removeFrom(match.parent, match.parentProperty);
      else if (action.update !== undefined) mergeInto(match.value, structuredClone(action.update), action.target);
    }
  }
  return result;
}

function mergeInto(target: unknown, update: unknown, where: string): void {
  if (Array.isArray(target)) {
    target.push(update);
    return;
  }
  if (!isObject(target) || !isObject(update)) {
    throw new Error(`overlay update at ${where} must target an object or an array`);
  }
  for (const [key, value] of Object.entries(update)) {
    const current = target[key];
    if (isObject(current) && isObject(value)) mergeInto(current, value, `${where}.${key}`);
    else target[key] = value;
  }
}

function removeFrom(parent: unknown, key: string | number): void {
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (isObject(parent)) delete parent[key];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
